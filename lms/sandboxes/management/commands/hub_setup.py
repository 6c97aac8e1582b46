"""Prepare the local notebook hub: secrets in an env file, and Dasi's OAuth client for it."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.sandboxes.services import hub_client_register

SECRET_KEYS = ("DASI_HUB_CLIENT_SECRET", "DASI_HUB_API_TOKEN", "CONFIGPROXY_AUTH_TOKEN")


def _read_env(path: Path) -> dict[str, str]:
    values = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    return values


def _site_origins(dasi_url: str) -> list[str]:
    from wagtail.models import Site

    scheme = dasi_url.split("://", 1)[0]
    origins = []
    for site in Site.objects.order_by("pk"):
        port = "" if site.port in (80, 443) else f":{site.port}"
        origins.append(f"{scheme}://{site.hostname}{port}")
    return origins


class Command(BaseCommand):
    help = (
        "Register Dasi's OAuth client 'jupyterhub' for the hub. With --env-file (local hub), "
        "also write the hub's environment file (secrets made once and kept); without it, the "
        "client comes from the settings DASI_HUB_URL and DASI_HUB_CLIENT_SECRET (production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hub-url", default="", help="the hub as browsers reach it")
        parser.add_argument("--dasi-url", default="", help="Dasi as browsers reach it")
        parser.add_argument("--internal-url", default="", help="Dasi as the hub reaches it")
        parser.add_argument("--env-file", type=Path, help="write the local hub's environment")

    def handle(self, *args, hub_url, dasi_url, internal_url, env_file, **options):
        if env_file is None:
            return self._from_settings()
        if not hub_url.startswith(("http://", "https://")):
            raise CommandError(f"--hub-url must be an http(s) URL, not {hub_url!r}")
        if not dasi_url.startswith(("http://", "https://")):
            raise CommandError(f"--dasi-url must be an http(s) URL, not {dasi_url!r}")
        values = _read_env(env_file)
        for key in SECRET_KEYS:
            values.setdefault(key, secrets.token_hex(32))
        values["DASI_URL"] = dasi_url.rstrip("/")
        values["DASI_HUB_URL"] = hub_url.rstrip("/")
        values["DASI_INTERNAL_URL"] = (internal_url or dasi_url).rstrip("/")
        # Every centre's address, so the hub sends a learner back to the centre they came from.
        values["DASI_ORIGINS"] = ",".join(_site_origins(dasi_url))
        env_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        env_file.touch(mode=0o600)
        env_file.write_text("".join(f"{key}={value}\n" for key, value in sorted(values.items())))
        hub_client_register(hub_url=hub_url, client_secret=values["DASI_HUB_CLIENT_SECRET"])
        self.stdout.write(f"hub environment in {env_file}; OAuth client 'jupyterhub' for {hub_url}")

    def _from_settings(self) -> None:
        from django.conf import settings

        if not settings.DASI_HUB_URL or not settings.DASI_HUB_CLIENT_SECRET:
            raise CommandError("set DASI_HUB_URL and DASI_HUB_CLIENT_SECRET, or pass --env-file")
        hub_client_register(
            hub_url=settings.DASI_HUB_URL, client_secret=settings.DASI_HUB_CLIENT_SECRET
        )
        self.stdout.write(f"OAuth client 'jupyterhub' for {settings.DASI_HUB_URL}")
