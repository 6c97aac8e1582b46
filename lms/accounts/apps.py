from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready: receivers connect, the deploy checks and the staff-session stamp at
        # sign-in register once the apps are loaded (Django's documented place for all three).
        from . import checks, middleware, signals  # noqa: F401
