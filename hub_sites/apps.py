from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubSitesConfig(AppConfig):
    name = "hub_sites"
    verbose_name = _("Centres")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready: receivers import models, which are loaded only now.
        from . import signals

        signals.connect()
