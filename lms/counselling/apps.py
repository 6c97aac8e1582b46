from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "lms.counselling"
    label = "counselling"
    verbose_name = _("Counselling")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready: receivers import models, which are loaded only now.
        from . import receivers

        receivers.connect()
