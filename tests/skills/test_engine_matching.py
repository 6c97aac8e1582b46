"""The phrase → skill cascade on a handful of labels, with a toy encoder for the last stage."""

from __future__ import annotations

import numpy as np

from lms.skills.engine.matching import SkillMatcher, normalise, split_phrases

LABELS = [
    ("u:sql", "SQL", True),
    ("u:sql", "structured query language", False),
    ("u:py", "Python (computer programming)", True),
    ("u:py", "python", False),
    ("u:viz", "deliver visual presentation of data", True),
    ("u:ml", "utilise machine learning", True),
]


def test_split_phrases_breaks_lines_lists_and_clauses_and_drops_duplicates():
    text = "SQL, Python\n• dashboards and reporting; SQL"
    assert split_phrases(text) == ["sql", "python", "dashboards", "reporting"]
    assert normalise("  Ｐython  ") == "python"


def test_exact_and_alternative_labels_match_first():
    matcher = SkillMatcher(LABELS)
    results = matcher.match(["Structured Query Language", "python"])
    assert [(m.skill, m.method) for m in results] == [("u:sql", "label"), ("u:py", "label")]
    assert results[1].label == "Python (computer programming)"


def test_a_misspelt_label_is_found_by_character_ngrams():
    result = SkillMatcher(LABELS).match(["deliver visual presentations of data"])[0]
    assert (result.skill, result.method) == ("u:viz", "tfidf")
    assert result.score >= 0.75


def test_an_unknown_phrase_comes_back_unmatched_with_suggestions():
    result = SkillMatcher(LABELS).match(["visualising data for managers"])[0]
    assert result.skill is None and result.method == "none"
    assert result.suggestions and result.suggestions[0].skill == "u:viz"


def test_the_embedding_stage_catches_what_spelling_cannot():
    skills = ["u:sql", "u:py", "u:viz", "u:ml"]
    vectors = np.eye(4, dtype=np.float16)

    def encoder(texts):
        # A stand-in for MiniLM: "forecasting" means machine learning, anything else nothing.
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for i, text in enumerate(texts):
            if "forecast" in text:
                out[i, 3] = 1.0
        return out

    matcher = SkillMatcher(
        LABELS, skill_embeddings=vectors, embedded_skills=skills, encoder=encoder
    )
    found, missed = matcher.match(["sales forecasting", "knitting"])
    assert (found.skill, found.method) == ("u:ml", "embedding")
    assert missed.skill is None and missed.method == "none"
    assert SkillMatcher(LABELS).match(["sales forecasting"])[0].skill is None


def test_a_phrase_read_again_comes_from_the_cache_without_encoding():
    calls = []

    def encoder(phrases):
        calls.append(list(phrases))
        return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(phrases), 1))

    matcher = SkillMatcher(
        LABELS,
        skill_embeddings=np.array([[1.0, 0.0]], dtype=np.float32),
        embedded_skills=["u:ml"],
        encoder=encoder,
    )
    first = matcher.match(["taught neural nets", "SQL"])
    assert calls == [["taught neural nets"]]
    again = matcher.match(["SQL", "taught neural nets"])
    assert calls == [["taught neural nets"]]  # no second encoding
    assert [m.skill for m in again] == [first[1].skill, first[0].skill] == ["u:sql", "u:ml"]
