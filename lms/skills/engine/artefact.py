"""The recommender's HDF5 artefact: taxonomy, label embeddings and role matrices.

Layout (format 2)::

    /                         attrs: format, taxonomy_version, roles_version, built_at,
                                     attribution, sources (JSON: requirement → sha256),
                                     embedding_model
    /taxonomy/skills/uri      (S,)  str     skill ids, ESCO URIs or project URIs
    /taxonomy/skills/label    (S,)  str     preferred English label
    /taxonomy/skills/kind     (S,)  str
    /taxonomy/labels/skill    (L,)  int32   row into /taxonomy/skills
    /taxonomy/labels/text     (L,)  str     every preferred and alternative label
    /taxonomy/labels/preferred(L,)  bool
    /taxonomy/labels/language (L,)  str     "en", "ko", …
    /taxonomy/labels/provenance (L,) str    who wrote or translated the label, and whether
                                            a native speaker reviewed it
    /emb/skills               (S, 384) float16, unit rows of the preferred English labels
    /emb/label_skill          (K,)  int32   row into /taxonomy/skills of each extra vector
    /emb/labels               (K, 384) float16, unit rows of the Korean labels (optional)
    /roles/key, /roles/name   (R,)  str
    /roles/indptr (R+1,) int32; /roles/indices, /roles/weight (float32), /roles/level (int8)

Batch results (`recommend_all`) go to a separate file with /recs/user_id, /recs/top_roles
(int16 role rows, -1 = none), /recs/top_readiness (float16) and the role keys.

Reading is lazy: `Artefact` opens the file once and reads each dataset on first use.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np

from .gap import Requirement, RoleProfile
from .taxonomy import ATTRIBUTION

FORMAT = 2

# (skill row, text, is_preferred, language, provenance)
LabelRow = tuple[int, str, bool, str, str]


@dataclass(frozen=True)
class SkillRow:
    uri: str
    label: str
    kind: str


def _strings(values: Sequence[str]):
    import h5py

    return np.array(list(values), dtype=h5py.string_dtype("utf-8"))


def artefact_write(
    path: Path,
    *,
    skills: Sequence[SkillRow],
    labels: Sequence[LabelRow],
    roles: Sequence[RoleProfile],
    embeddings: np.ndarray | None,
    label_embeddings: tuple[Sequence[int], np.ndarray] | None = None,
    taxonomy_version: str,
    roles_version: str,
    sources: dict[str, str],
    embedding_model: str = "",
) -> Path:
    """Write the artefact atomically (to a temporary name, then rename)."""
    import h5py

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    index = {s.uri: i for i, s in enumerate(skills)}
    with h5py.File(tmp, "w") as h5:
        h5.attrs["format"] = FORMAT
        h5.attrs["taxonomy_version"] = taxonomy_version
        h5.attrs["roles_version"] = roles_version
        h5.attrs["built_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        h5.attrs["attribution"] = ATTRIBUTION
        h5.attrs["sources"] = json.dumps(sources, sort_keys=True)
        h5.attrs["embedding_model"] = embedding_model
        g = h5.create_group("taxonomy/skills")
        g["uri"] = _strings([s.uri for s in skills])
        g["label"] = _strings([s.label for s in skills])
        g["kind"] = _strings([s.kind for s in skills])
        g = h5.create_group("taxonomy/labels")
        g["skill"] = np.array([label[0] for label in labels], dtype=np.int32)
        g["text"] = _strings([label[1] for label in labels])
        g["preferred"] = np.array([label[2] for label in labels], dtype=bool)
        g["language"] = _strings([label[3] for label in labels])
        g["provenance"] = _strings([label[4] for label in labels])
        if embeddings is not None:
            h5.create_dataset(
                "emb/skills",
                data=embeddings.astype(np.float16),
                chunks=(min(len(skills), 4096), embeddings.shape[1]),
                compression="gzip",
            )
        if embeddings is not None and label_embeddings is not None and len(label_embeddings[0]):
            rows, vectors = label_embeddings
            h5["emb/label_skill"] = np.asarray(rows, dtype=np.int32)
            h5.create_dataset(
                "emb/labels", data=np.asarray(vectors).astype(np.float16), compression="gzip"
            )
        g = h5.create_group("roles")
        g["key"] = _strings([r.key for r in roles])
        g["name"] = _strings([r.name for r in roles])
        indptr = [0]
        indices: list[int] = []
        weight: list[float] = []
        level: list[int] = []
        for role in roles:
            for req in role.requirements:
                indices.append(index[req.skill])
                weight.append(req.weight)
                level.append(req.level)
            indptr.append(len(indices))
        g["indptr"] = np.array(indptr, dtype=np.int32)
        g["indices"] = np.array(indices, dtype=np.int32)
        g["weight"] = np.array(weight, dtype=np.float32)
        g["level"] = np.array(level, dtype=np.int8)
    tmp.replace(path)
    return path


class Artefact:
    """Read side of the artefact. Cheap to create; datasets load on first access."""

    def __init__(self, path: Path | str) -> None:
        import h5py

        self.path = Path(path)
        self._file = h5py.File(self.path, "r")
        self.attrs = {k: self._file.attrs[k] for k in self._file.attrs}
        if int(self.attrs.get("format", 0)) != FORMAT:
            raise ValueError(f"{self.path}: artefact format {self.attrs.get('format')} ≠ {FORMAT}")

    def close(self) -> None:
        self._file.close()

    def _str(self, name: str) -> list[str]:
        return [v.decode() if isinstance(v, bytes) else str(v) for v in self._file[name][()]]

    @cached_property
    def skill_uris(self) -> list[str]:
        return self._str("taxonomy/skills/uri")

    @cached_property
    def skill_labels(self) -> list[str]:
        return self._str("taxonomy/skills/label")

    @cached_property
    def skill_index(self) -> dict[str, int]:
        return {uri: i for i, uri in enumerate(self.skill_uris)}

    @cached_property
    def labels(self) -> list[tuple[str, str, bool]]:
        """(skill uri, label, is_preferred) for every label."""
        rows = self._file["taxonomy/labels/skill"][()]
        texts = self._str("taxonomy/labels/text")
        preferred = self._file["taxonomy/labels/preferred"][()]
        uris = self.skill_uris
        return [(uris[r], t, bool(p)) for r, t, p in zip(rows, texts, preferred, strict=True)]

    @cached_property
    def label_details(self) -> list[tuple[str, str, str, str]]:
        """(skill uri, label, language, provenance) for every label."""
        rows = self._file["taxonomy/labels/skill"][()]
        uris = self.skill_uris
        return list(
            zip(
                (uris[r] for r in rows),
                self._str("taxonomy/labels/text"),
                self._str("taxonomy/labels/language"),
                self._str("taxonomy/labels/provenance"),
                strict=True,
            )
        )

    @cached_property
    def embedding_rows(self) -> tuple[list[str], np.ndarray] | None:
        """Every embedded vector with the skill it stands for: one row per skill (its
        English preferred label), then one per Korean label. None if not built."""
        if self.embeddings is None:
            return None
        uris = list(self.skill_uris)
        vectors = self.embeddings
        if "emb/labels" in self._file:
            extra = self._file["emb/label_skill"][()]
            uris += [self.skill_uris[r] for r in extra]
            vectors = np.vstack([vectors, self._file["emb/labels"][()]])
        return uris, vectors

    @cached_property
    def embeddings(self) -> np.ndarray | None:
        """Unit vectors of the skills' preferred labels (float16), or None if not built."""
        return self._file["emb/skills"][()] if "emb/skills" in self._file else None

    @cached_property
    def roles(self) -> list[RoleProfile]:
        g = self._file["roles"]
        keys, names = self._str("roles/key"), self._str("roles/name")
        indptr, indices = g["indptr"][()], g["indices"][()]
        weight, level = g["weight"][()], g["level"][()]
        uris = self.skill_uris
        out = []
        for r, key in enumerate(keys):
            span = range(indptr[r], indptr[r + 1])
            reqs = tuple(
                Requirement(skill=uris[indices[i]], level=int(level[i]), weight=float(weight[i]))
                for i in span
            )
            out.append(RoleProfile(key=key, name=names[r], requirements=reqs))
        return out


def recommendations_write(
    path: Path,
    *,
    user_ids: np.ndarray,
    top_roles: np.ndarray,
    top_readiness: np.ndarray,
    role_keys: Sequence[str],
    roles_version: str,
) -> Path:
    """Write batch top-k roles per learner (chunked, gzip)."""
    import h5py

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    n, k = top_roles.shape
    chunk = (min(max(n, 1), 65536), k)
    with h5py.File(tmp, "w") as h5:
        h5.attrs["format"] = FORMAT
        h5.attrs["roles_version"] = roles_version
        h5.attrs["built_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        g = h5.create_group("recs")
        g["role_key"] = _strings(role_keys)
        g.create_dataset("user_id", data=user_ids.astype(np.int64), compression="gzip")
        g.create_dataset(
            "top_roles", data=top_roles.astype(np.int16), chunks=chunk, compression="gzip"
        )
        g.create_dataset(
            "top_readiness",
            data=top_readiness.astype(np.float16),
            chunks=chunk,
            compression="gzip",
        )
    tmp.replace(path)
    return path
