from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffHomeConfig(AppConfig):
    name = "lms.staffhome"
    label = "staffhome"
    verbose_name = _("Staff start pages")
    default_auto_field = "django.db.models.BigAutoField"
