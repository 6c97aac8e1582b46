"""The HDF5 artefact and batch results survive a write and a read unchanged."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from lms.skills.engine.artefact import (
    Artefact,
    SkillRow,
    artefact_write,
    recommendations_write,
)
from lms.skills.engine.gap import Requirement, RoleProfile
from lms.skills.engine.taxonomy import ATTRIBUTION


def test_artefact_round_trip(tmp_path):
    skills = [SkillRow("u:a", "alpha", "skill"), SkillRow("u:b", "beta", "knowledge")]
    roles = [RoleProfile("r", "Role", (Requirement("u:b", 3, 0.5), Requirement("u:a", 1, 1.0)))]
    vectors = np.array([[0.6, 0.8], [1.0, 0.0]], dtype=np.float32)
    path = artefact_write(
        tmp_path / "t.h5",
        skills=skills,
        labels=[
            (0, "alpha", True, "en", "ESCO"),
            (1, "beta", True, "en", "ESCO"),
            (1, "베타", False, "ko", "translated by the project, not reviewed"),
        ],
        roles=roles,
        embeddings=vectors,
        label_embeddings=([1], np.array([[0.0, 1.0]], dtype=np.float32)),
        taxonomy_version="test v1",
        roles_version="r@1",
        sources={"pkg==1": "abc"},
    )
    art = Artefact(path)
    assert art.skill_uris == ["u:a", "u:b"]
    assert art.labels[2] == ("u:b", "베타", False)
    assert art.label_details[2] == ("u:b", "베타", "ko", "translated by the project, not reviewed")
    uris, rows = art.embedding_rows
    assert uris == ["u:a", "u:b", "u:b"]
    np.testing.assert_allclose(rows[2], [0.0, 1.0], atol=1e-3)
    assert art.roles == roles
    assert art.embeddings.dtype == np.float16
    np.testing.assert_allclose(art.embeddings, vectors, atol=1e-3)
    assert art.attrs["taxonomy_version"] == "test v1"
    assert art.attrs["attribution"] == ATTRIBUTION
    art.close()


def test_an_artefact_of_another_format_is_refused(tmp_path):
    path = tmp_path / "old.h5"
    with h5py.File(path, "w") as h5:
        h5.attrs["format"] = 99
    with pytest.raises(ValueError, match="format"):
        Artefact(path)


def test_recommendations_round_trip(tmp_path):
    top = np.array([[1, 0], [0, -1]])
    readiness = np.array([[0.75, 0.5], [0.25, 0.0]])
    path = recommendations_write(
        tmp_path / "recs.h5",
        user_ids=np.array([10, 11]),
        top_roles=top,
        top_readiness=readiness,
        role_keys=["a", "b"],
        roles_version="a@1,b@1",
    )
    with h5py.File(path) as h5:
        assert h5["recs/top_roles"].dtype == np.int16
        np.testing.assert_array_equal(h5["recs/top_roles"][()], top)
        np.testing.assert_allclose(h5["recs/top_readiness"][()], readiness)
        assert [k.decode() for k in h5["recs/role_key"][()]] == ["a", "b"]
