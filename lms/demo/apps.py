from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and its commands (`seed_demo`, `demo_banner`); it has no models."""

    name = "lms.demo"
    label = "demo"
