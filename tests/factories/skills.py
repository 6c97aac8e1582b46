"""Builders of skills of the taxonomy."""

from __future__ import annotations

import factory

from lms.skills.models import Skill


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("esco_uri",)

    esco_uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/skill/test-{n}")
    label_en = factory.Sequence(lambda n: f"Skill {n}")
    label_ko = factory.Sequence(lambda n: f"기술 {n}")
