from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    name = "lms.xapi"
    label = "xapi"
    verbose_name = _("Learning records (xAPI)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready: receivers connect once the models of every app are loaded.
        from . import receivers

        receivers.connect()
