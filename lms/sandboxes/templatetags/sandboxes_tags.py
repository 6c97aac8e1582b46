"""Template tags of the notebook hub, for pages of the layers below (exercise pages)."""

from __future__ import annotations

from django import template

from ..hub import hub_configured as _hub_configured

register = template.Library()


@register.simple_tag
def hub_configured() -> bool:
    """Whether learners can open exercises in JupyterLab here (else they download/upload)."""
    return _hub_configured()
