"""B6: batch scoring of synthetic learners against synthetic roles, top roles to HDF5.

    .venv/bin/python benchmarks/recommender_batch.py [--learners 1000000] [--roles 1000]
        [--skills 10000] [--workers 2] [--chunk 20000] [--top 10] [--out var/bench/recs.h5]

Synthetic data, seeded: each role requires 40 distinct skills (popularity-skewed: skill
ranks drawn from a Zipf-like distribution), levels 1–5, weights {0.25, 0.5, 0.75, 1};
each learner holds 30 distinct skills, half taken from one random role, half at random,
levels 1–5. Learners are generated inside the workers (chunk seed = base seed + chunk id),
so no large arrays cross processes. The exact level-aware readiness is one sparse product
per chunk (`RoleMatrix`, see lms/skills/engine/gap.py); top-k by a single int64 sort.

Reports wall time, learners/s and the peak resident memory of the whole process tree
(sampled every 20 ms from /proc), and writes top roles (int16) and readiness (float16).
Not a test: nothing asserts on time.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lms.skills.engine.gap import RoleMatrix  # noqa: E402

SEED = 20261124
_MATRIX: RoleMatrix | None = None
_ROLE_SKILLS: np.ndarray | None = None
_ARGS: argparse.Namespace | None = None


def roles_make(n_roles: int, n_skills: int, per_role: int, rng: np.random.Generator):
    """(role × skill) weights and required levels as CSR, and each role's skill list."""
    ranks = np.arange(1, n_skills + 1, dtype=np.float64)
    popularity = 1.0 / ranks**0.8
    popularity /= popularity.sum()
    permutation = rng.permutation(n_skills)
    role_skills = np.empty((n_roles, per_role), dtype=np.int64)
    for r in range(n_roles):
        role_skills[r] = permutation[
            rng.choice(n_skills, size=per_role, replace=False, p=popularity)
        ]
    rows = np.repeat(np.arange(n_roles), per_role)
    cols = role_skills.ravel()
    weights = rng.choice([0.25, 0.5, 0.75, 1.0], size=rows.size).astype(np.float32)
    levels = rng.integers(1, 6, size=rows.size).astype(np.float32)
    shape = (n_roles, n_skills)
    return (
        sp.csr_matrix((weights, (rows, cols)), shape=shape),
        sp.csr_matrix((levels, (rows, cols)), shape=shape),
        role_skills,
    )


def learners_make(chunk: int, n: int, n_skills: int, per_learner: int) -> sp.csr_matrix:
    """One chunk of learners as a one-hot (learner × skill·level) matrix."""
    rng = np.random.default_rng(SEED + 1 + chunk)
    half = per_learner // 2
    source = rng.integers(0, _ROLE_SKILLS.shape[0], size=n)
    pick = rng.integers(0, _ROLE_SKILLS.shape[1], size=(n, half))
    from_role = _ROLE_SKILLS[source[:, None], pick]
    random = rng.integers(0, n_skills, size=(n, per_learner - half))
    skills = np.concatenate([from_role, random], axis=1).ravel()
    rows = np.repeat(np.arange(n, dtype=np.int64), per_learner)
    # One level per (learner, skill): keep the first of any duplicate pair.
    _, first = np.unique(rows * n_skills + skills, return_index=True)
    rows, skills = rows[first], skills[first]
    levels = rng.integers(1, 6, size=rows.size)
    return RoleMatrix.level_onehot(rows, skills, levels, n, n_skills)


def chunk_score(chunk: int) -> tuple[int, np.ndarray, np.ndarray, float]:
    args = _ARGS
    start = chunk * args.chunk
    n = min(args.chunk, args.learners - start)
    began = time.perf_counter()
    onehot = learners_make(chunk, n, args.skills, args.per_learner)
    top_idx, top_val = _MATRIX.top_roles(onehot, args.top)
    return chunk, top_idx.astype(np.int16), top_val.astype(np.float16), time.perf_counter() - began


def _tree_rss_kb(root: int) -> int:
    total = 0
    pids = [root]
    try:
        children = Path(f"/proc/{root}/task/{root}/children").read_text().split()
        pids += [int(p) for p in children]
    except OSError:
        pass
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def main() -> None:
    global _MATRIX, _ROLE_SKILLS, _ARGS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--skills", type=int, default=10_000)
    parser.add_argument("--per-role", type=int, default=40)
    parser.add_argument("--per-learner", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=20_000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("var/bench/recommender_batch.h5"))
    args = parser.parse_args()
    _ARGS = args
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(os.getpid()))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    wall = time.perf_counter()
    rng = np.random.default_rng(SEED)
    weights, required, _ROLE_SKILLS = roles_make(args.roles, args.skills, args.per_role, rng)
    _MATRIX = RoleMatrix.from_arrays(weights, required)
    setup = time.perf_counter() - wall

    import h5py

    args.out.parent.mkdir(parents=True, exist_ok=True)
    chunks = range((args.learners + args.chunk - 1) // args.chunk)
    busy = 0.0
    with h5py.File(args.out, "w") as h5:
        h5.attrs["format"] = 1
        h5.attrs["synthetic"] = (
            f"{args.learners} learners x {args.roles} roles x {args.skills} skills, seed {SEED}"
        )
        rows_out = (args.learners, args.top)
        chunking = (min(args.chunk, args.learners), args.top)
        top_roles = h5.create_dataset(
            "recs/top_roles", shape=rows_out, dtype=np.int16, chunks=chunking, compression="gzip"
        )
        top_ready = h5.create_dataset(
            "recs/top_readiness",
            shape=rows_out,
            dtype=np.float16,
            chunks=chunking,
            compression="gzip",
        )
        context = mp.get_context("fork")
        with context.Pool(args.workers) as pool:
            for chunk, idx, val, seconds in pool.imap_unordered(chunk_score, chunks):
                start = chunk * args.chunk
                top_roles[start : start + len(idx)] = idx
                top_ready[start : start + len(idx)] = val
                busy += seconds
    elapsed = time.perf_counter() - wall
    stop.set()
    sampler.join()
    size = args.out.stat().st_size / 1e6
    print(
        f"| {args.learners:,} × {args.roles:,} × {args.skills:,} | {args.workers} | "
        f"{elapsed:.1f} s | {args.learners / elapsed:,.0f} | {peak[0] / 1e6:.2f} GB | "
        f"{setup:.1f} s | {busy:.1f} s | {size:.0f} MB |"
    )


if __name__ == "__main__":
    main()
