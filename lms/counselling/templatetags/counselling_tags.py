"""Display helpers for the cockpit (no business logic)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from lms.accounts.selectors import holds_role

from ..selectors import COCKPIT_ROLES

register = template.Library()

RISK_LABELS = {"none": _("No flag"), "watch": _("Watch"), "high": _("High")}


@register.simple_tag(takes_context=True)
def cockpit_available(context) -> bool:
    """Whether to offer the cockpit link: the user counsels or runs some centre (the page
    itself checks the centre serving the request)."""
    request = context.get("request")
    if getattr(request, "cockpit_roles", None):  # a cockpit page checked already
        return True
    user = getattr(request, "user", None)
    return bool(user and holds_role(user=user, roles=COCKPIT_ROLES))


@register.filter
def risk_label(level: str) -> str:
    return str(RISK_LABELS.get(level, level))
