from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    name = "lms.lti"
    label = "lti"
    verbose_name = _("LTI 1.3")

    def ready(self) -> None:
        # AppConfig.ready: receivers import models, which are loaded only now.
        from . import receivers

        receivers.connect()
