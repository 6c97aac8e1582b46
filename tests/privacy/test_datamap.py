"""The data map cannot fall behind the models: every key to a learner is exported or excused."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model

import pytest

from lms.privacy.datamap import EXCLUDED_LINKS, PARTS, covered_links
from lms.privacy.selectors import part_rows


def _links() -> set[tuple[str, str]]:
    """(model, field) for every key (FK or one-to-one) to the user or to a model of the map."""
    targets = {get_user_model()} | {apps.get_model(p.label) for p in PARTS}
    found = set()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in targets:
                found.add((model._meta.label, f.name))
    return found


def test_every_key_to_a_learner_is_exported_or_excluded_with_a_reason():
    missing = sorted(_links() - covered_links())
    assert not missing, (
        "models holding keys to a learner that neither the export nor the erasure knows; add "
        f"a Part or an EXCLUDED_LINKS entry with the reason (lms/privacy/datamap.py): {missing}"
    )


def test_no_stale_entries_and_every_reason_said():
    links = _links()
    assert all(reason.strip() for reason in EXCLUDED_LINKS.values())
    assert not sorted(set(EXCLUDED_LINKS) - links), "excluded links that no longer exist"
    assert len({p.section for p in PARTS}) == len(PARTS), "two parts share an export section"


@pytest.mark.django_db
def test_every_part_is_reachable_from_a_user():
    user = get_user_model().objects.create(username="walker")
    for part in PARTS:
        assert list(part_rows(part, user=user)) == [], part.label  # the lookup path resolves
