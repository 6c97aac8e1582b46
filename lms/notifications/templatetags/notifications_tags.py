"""The header's notification bell (no business logic)."""

from __future__ import annotations

from django import template

from ..selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many notifications the signed-in person has not read (0 for visitors)."""
    user = getattr(context.get("request"), "user", None)
    if not (user and user.is_authenticated):
        return 0
    return unread_count(user=user)
