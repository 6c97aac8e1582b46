"""Storage for files that are never served from the public media URL."""

from __future__ import annotations


def private_storage():
    """Files downloaded only through views that check who is asking (certificate PDFs,
    submitted notebooks, exercise sources with hidden tests)."""
    from django.core.files.storage import storages

    return storages["private"]
