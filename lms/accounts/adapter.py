"""allauth adapter: after log-in, send people to their dashboard in their preferred language."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import override

from allauth.account.adapter import DefaultAccountAdapter

from .redirects import safe_return_path


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        language = getattr(request.user, "preferred_language", None) or "ko"
        with override(language):
            return reverse("learning:dashboard")

    def get_signup_redirect_url(self, request):
        return self.get_login_redirect_url(request)

    def is_safe_url(self, url):
        # The one check every return address in Dasi passes (lms/accounts/redirects.py).
        return bool(url) and safe_return_path(self.request, url, fallback="") == url.strip()
