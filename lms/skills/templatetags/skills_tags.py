"""Small display helpers for the skill pages (no business logic)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()

SOURCE_NAMES = {
    "assessment": _("Assessment"),
    "course": _("Course"),
    "self": _("Self-rating"),
    "text": _("CV"),
    "profile": _("Profile"),
}


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def percent(value: float) -> int:
    """0.734 → 73 (clamped to 0–100)."""
    return max(0, min(100, round(float(value or 0) * 100)))


@register.filter
def dots(level: int) -> list[bool]:
    """Five booleans, the first `level` true."""
    return [i < int(level or 0) for i in range(5)]


@register.filter
def source_name(source: str) -> str:
    return str(SOURCE_NAMES.get(source, source))


@register.filter
def to_int(value: Any) -> int:
    """Round a number for display and for plural forms."""
    return round(float(value or 0))


@register.filter
def suggestion_label(suggestion: dict) -> str:
    """A stored suggestion's label in the active language (Korean where translated)."""
    korean = (get_language() or "ko").startswith("ko")
    return (korean and suggestion.get("label_ko")) or suggestion.get("label", "")
