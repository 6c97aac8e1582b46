"""Template context shared by every page: the centre serving the request."""

from __future__ import annotations


def centre(request) -> dict:
    return {"centre": getattr(request, "centre", None)}
