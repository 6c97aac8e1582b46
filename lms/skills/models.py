"""Skills from the ESCO taxonomy that courses teach and learners build up."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.search import index

SKILL_LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Skill(index.Indexed, models.Model):
    """One ESCO skill or knowledge concept, labelled in Korean and English.

    ESCO — European Commission, reused with acknowledgement. The recommender extends this
    model with the taxonomy's alternative labels and hierarchy.
    """

    esco_uri = models.URLField(_("ESCO URI"), max_length=255, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=255)
    label_ko = models.CharField(_("label (Korean)"), max_length=255, blank=True)

    search_fields = [
        index.SearchField("label_en"),
        index.SearchField("label_ko"),
        index.AutocompleteField("label_en"),
        index.AutocompleteField("label_ko"),
    ]

    class Meta:
        ordering = ["label_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language, falling back to English."""
        if (get_language() or "ko").startswith("ko") and self.label_ko:
            return self.label_ko
        return self.label_en
