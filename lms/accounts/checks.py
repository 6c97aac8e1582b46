"""Deploy checks for sign-in protection (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, deploy=True)
def shared_sign_in_state(app_configs, **kwargs):
    """Lockouts live in the database (django-axes); allauth keeps its sign-in rate limits and
    the marks of used one-time codes in the cache, which must then be one for all processes."""
    problems = []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PROCESS_LOCAL_CACHES:
        problems.append(
            Warning(
                "The cache is local to each process, so sign-in rate limits and used "
                "two-step codes are not shared between web processes.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
                id="dasi.W001",
            )
        )
    if "cache" in settings.AXES_HANDLER and backend in PROCESS_LOCAL_CACHES:
        problems.append(
            Warning(
                "django-axes counts failed sign-ins in a per-process cache.",
                hint="Use axes.handlers.database.AxesDatabaseHandler or a shared cache.",
                id="dasi.W002",
            )
        )
    return problems
