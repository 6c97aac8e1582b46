from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxesConfig(AppConfig):
    name = "lms.sandboxes"
    label = "sandboxes"
    verbose_name = _("Notebook sandboxes")
    default_auto_field = "django.db.models.BigAutoField"
