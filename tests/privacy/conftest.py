"""The privacy tests' world: the authorization matrix's two centres, rich in personal data."""

from __future__ import annotations

from django.core.files.base import ContentFile

import pytest

from tests.security.world import NOTEBOOK, centre_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.DASI_HUB_URL = ""  # no hub here; tests/sandboxes/test_hub_erasure.py has one
    settings.DASI_SKILLS_ARTIFACT = tmp_path / "taxonomy.h5"
    settings.DASI_SKILLS_CACHE = tmp_path / "cache"
    a, b = centre_world("dongtan", default=True), centre_world("gimpo")
    graded = a.objects["graded_attempt"]
    graded.submission.save("submitted.ipynb", ContentFile(NOTEBOOK.read_bytes()))
    return a, b
