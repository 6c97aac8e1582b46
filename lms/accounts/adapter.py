"""allauth adapter: after log-in, send people to their dashboard in their preferred language."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import override

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        language = getattr(request.user, "preferred_language", None) or "ko"
        with override(language):
            return reverse("learning:dashboard")

    def get_signup_redirect_url(self, request):
        return self.get_login_redirect_url(request)

    def is_safe_url(self, url):
        return url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
