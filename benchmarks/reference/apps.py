from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    """A stock Wagtail page type the page benchmark measures Dasi's pages against; installed
    only by the benchmark's settings (benchmarks/reference/settings_*.py)."""

    name = "benchmarks.reference"
    label = "bench_reference"
    default_auto_field = "django.db.models.BigAutoField"
