"""lms.settings.dev with the benchmark's reference page type installed."""

from lms.settings.dev import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.reference"]  # noqa: F405
