"""Phrase → skill cascade: exact or alternative label, TF-IDF char n-grams, then MiniLM.

1. **Label**: the normalised phrase equals a preferred or alternative label (score 1.0).
2. **TF-IDF**: cosine over character 3–5-grams within word boundaries (scikit-learn
   `char_wb`), against every label of every skill; accepted at `tfidf_accept` or above.
3. **Embedding**: when an encoder and skill embeddings (one unit vector per skill, from its
   preferred label) are available, MiniLM cosine against every skill; accepted at
   `embed_accept`.

A phrase below every threshold is *unmatched* and returned with its best candidates as
suggestions — never silently dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

Encoder = Callable[[Sequence[str]], np.ndarray]

_SPLIT = re.compile(r"[\n;,•·|/]+|\.\s+|\s+(?:and|및|그리고)\s+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, NFKC, single spaces, no surrounding punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SPACE.sub(" ", text)
    return text.strip(" .,:;-–—()[]\"'")


def split_phrases(text: str, max_words: int = 8) -> list[str]:
    """Break CV or goal text into short candidate phrases (lines, list items, clauses).

    Phrases longer than `max_words` words are kept whole: the embedding stage handles them
    and, if nothing fits, they come back as unmatched for the learner to rephrase.
    """
    phrases = []
    seen = set()
    for part in _SPLIT.split(text or ""):
        phrase = normalise(part)
        if len(phrase) < 2 or phrase in seen:
            continue
        seen.add(phrase)
        phrases.append(" ".join(phrase.split()[: max_words * 4]))
    return phrases


@dataclass(frozen=True)
class Candidate:
    skill: str
    label: str
    score: float


@dataclass
class Match:
    """The outcome for one phrase: the accepted skill (or None) and how it was found."""

    phrase: str
    skill: str | None
    label: str
    method: str  # "label", "tfidf", "embedding" or "none"
    score: float
    suggestions: list[Candidate] = field(default_factory=list)


class SkillMatcher:
    """The cascade over a fixed set of labels.

    `labels` are (skill id, label text, is_preferred) triples; `preferred` maps each skill
    to the label shown to people. `skill_embeddings` (one unit row per skill in
    `embedded_skills`, any float dtype) and `encoder` switch the embedding stage on.
    """

    def __init__(
        self,
        labels: Sequence[tuple[str, str, bool]],
        *,
        preferred: dict[str, str] | None = None,
        skill_embeddings: np.ndarray | None = None,
        embedded_skills: Sequence[str] = (),
        encoder: Encoder | None = None,
        tfidf_accept: float = 0.75,
        embed_accept: float = 0.72,
        suggestions: int = 3,
    ) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.label_skill = [skill for skill, _label, _pref in labels]
        self.label_text = [label for _skill, label, _pref in labels]
        self.preferred = dict(preferred or {})
        self.exact: dict[str, str] = {}
        # Preferred labels first, so they win both the display name and label clashes.
        for skill, label, _is_pref in sorted(labels, key=lambda t: not t[2]):
            self.preferred.setdefault(skill, label)
            self.exact.setdefault(normalise(label), skill)
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), min_df=1, sublinear_tf=True, dtype=np.float32
        )
        self.matrix = self.vectorizer.fit_transform([normalise(t) for t in self.label_text])
        self.skill_embeddings = (
            None if skill_embeddings is None else np.asarray(skill_embeddings, dtype=np.float32)
        )
        self.embedded_skills = list(embedded_skills)
        self.encoder = encoder
        self.tfidf_accept = tfidf_accept
        self.embed_accept = embed_accept
        self.n_suggestions = suggestions
        self.match_cache_size = 20_000
        self._match_cache: dict[str, Match] = {}

    def _best_per_skill(
        self, scores: np.ndarray, k: int, row_skill: Sequence[str] | None = None
    ) -> list[Candidate]:
        """The k best skills by their best row score (rows are labels unless `row_skill`)."""
        row_skill = self.label_skill if row_skill is None else row_skill
        top = min(len(scores), max(8 * k, 64))
        part = (
            np.argpartition(-scores, top - 1)[:top] if top < len(scores) else np.arange(len(scores))
        )
        order = part[np.argsort(-scores[part], kind="stable")]
        out: list[Candidate] = []
        seen: set[str] = set()
        for i in order:
            skill = row_skill[i]
            if skill in seen:
                continue
            seen.add(skill)
            out.append(Candidate(skill, self.preferred.get(skill, ""), float(scores[i])))
            if len(out) == k:
                break
        return out

    def tfidf_scores(self, phrases: Sequence[str]) -> np.ndarray:
        """Cosine of each phrase against each label (phrases × labels, dense float32)."""
        query = self.vectorizer.transform([normalise(p) for p in phrases])
        return (query @ self.matrix.T).toarray()

    @property
    def has_embeddings(self) -> bool:
        return self.encoder is not None and self.skill_embeddings is not None

    def embedding_scores(self, phrases: Sequence[str]) -> np.ndarray | None:
        """Cosine of each phrase against each embedded skill, or None without an encoder."""
        if not self.has_embeddings or not len(phrases):
            return None
        vectors = np.asarray(self.encoder(list(phrases)), dtype=np.float32)
        return vectors @ self.skill_embeddings.T

    def rank(
        self, phrases: Sequence[str], k: int = 10, method: str = "cascade"
    ) -> list[list[Candidate]]:
        """Top-k skills per phrase by one method: "tfidf", "embedding" or "cascade"
        (exact label first, then the embedding score if available, else TF-IDF)."""
        tfidf = self.tfidf_scores(phrases)
        emb = self.embedding_scores(phrases) if method in ("embedding", "cascade") else None
        results = []
        for i, phrase in enumerate(phrases):
            if emb is not None:
                ranked = self._best_per_skill(emb[i], k, self.embedded_skills)
            else:
                ranked = self._best_per_skill(tfidf[i], k)
            exact = self.exact.get(normalise(phrase)) if method == "cascade" else None
            if exact is not None:
                ranked = [Candidate(exact, self.preferred.get(exact, ""), 1.0)] + [
                    c for c in ranked if c.skill != exact
                ][: k - 1]
            results.append(ranked)
        return results

    def match(self, phrases: Sequence[str]) -> list[Match]:
        """Run the cascade on each phrase; every phrase comes back, matched or not.

        Outcomes are kept per phrase (bounded), so a learner's CV read again, or a posting
        re-read, costs dictionary look-ups only."""
        cache = self._match_cache
        todo = [p for p in dict.fromkeys(phrases) if p not in cache]
        if todo:
            if len(cache) + len(todo) > self.match_cache_size:
                cache.clear()
            for phrase, outcome in zip(todo, self._match(todo), strict=True):
                cache[phrase] = outcome
        return [cache[p] if p in cache else self._match([p])[0] for p in phrases]

    def _match(self, phrases: Sequence[str]) -> list[Match]:
        results: list[Match | None] = [None] * len(phrases)
        pending: list[int] = []
        for i, phrase in enumerate(phrases):
            skill = self.exact.get(normalise(phrase))
            if skill is not None:
                label = self.preferred.get(skill, phrase)
                results[i] = Match(phrase, skill, label, "label", 1.0)
            else:
                pending.append(i)
        if pending:
            texts = [phrases[i] for i in pending]
            tfidf = self.tfidf_scores(texts)
            still: list[int] = []
            for row, i in enumerate(pending):
                top = self._best_per_skill(tfidf[row], self.n_suggestions)
                if top and top[0].score >= self.tfidf_accept:
                    results[i] = Match(
                        phrases[i], top[0].skill, top[0].label, "tfidf", top[0].score, top[1:]
                    )
                else:
                    results[i] = Match(
                        phrases[i], None, "", "none", top[0].score if top else 0.0, top
                    )
                    still.append(row)
            emb = self.embedding_scores([texts[row] for row in still]) if still else None
            if emb is not None:
                for j, row in enumerate(still):
                    i = pending[row]
                    top = self._best_per_skill(emb[j], self.n_suggestions, self.embedded_skills)
                    if top and top[0].score >= self.embed_accept:
                        results[i] = Match(
                            phrases[i],
                            top[0].skill,
                            top[0].label,
                            "embedding",
                            top[0].score,
                            top[1:],
                        )
                    elif top:
                        results[i] = Match(phrases[i], None, "", "none", top[0].score, top)
        return [r for r in results if r is not None]
