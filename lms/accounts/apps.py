from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the deploy checks and the staff-session stamp at sign-in (Django's
        # documented place for both).
        from . import checks, middleware  # noqa: F401
