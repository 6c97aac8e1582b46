"""pylti1p3 bound to Dasi's registrations: a tool configuration per centre.

A centre's configuration sees only that centre's active registrations, so a platform
registered with one centre cannot launch, or start a login, on another centre's site.
"""

from __future__ import annotations

from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.launch_data_storage.cache import DjangoCacheDataStorage
from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration as PyltiRegistration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from hub_sites.models import Centre

from .keys import active_tool_key, private_pem
from .models import Registration

# How long a platform's public key set is kept before it is fetched again (seconds).
PLATFORM_KEYS_CACHE_SECONDS = 600
# How long a validated launch stays readable (the deep-linking picker reads it back).
LAUNCH_LIFETIME_SECONDS = 3600


def pylti_registration(registration: Registration) -> PyltiRegistration:
    """The library's view of a registration, with the centre's active signing key."""
    key = active_tool_key(centre=registration.centre)
    return (
        PyltiRegistration()
        .set_issuer(registration.issuer)
        .set_client_id(registration.client_id)
        .set_key_set_url(registration.key_set_url)
        .set_auth_token_url(registration.auth_token_url)
        .set_auth_login_url(registration.auth_login_url)
        .set_auth_audience(registration.auth_audience or registration.auth_token_url)
        .set_tool_private_key(private_pem(key))
        .set_tool_public_key(key.public_pem)
    )


class CentreToolConf(ToolConfAbstract):
    """The registrations of one centre, as pylti1p3 asks for them."""

    def __init__(self, centre: Centre):
        super().__init__()
        self.centre = centre
        self.found: Registration | None = None
        self._by_issuer: dict[str, list[Registration]] = {}

    def registrations(self, iss: str) -> list[Registration]:
        """The centre's active registrations of an issuer (read once per request)."""
        if iss not in self._by_issuer:
            self._by_issuer[iss] = list(
                Registration.objects.filter(
                    centre=self.centre, issuer=iss, active=True
                ).select_related("centre")
            )
        return self._by_issuer[iss]

    def check_iss_has_one_client(self, iss: str) -> bool:
        return len(self.registrations(iss)) == 1

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return len(self.registrations(iss)) > 1

    def _with_client(self, iss: str, client_id: str | None) -> Registration | None:
        return next((r for r in self.registrations(iss) if r.client_id == client_id), None)

    def _found(self, registration: Registration | None) -> PyltiRegistration | None:
        self.found = registration
        return pylti_registration(registration) if registration else None

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        registrations = self.registrations(iss)
        return self._found(registrations[0] if registrations else None)

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        return self._found(self._with_client(iss, client_id))

    def _deployment(self, registration: Registration | None, deployment_id: str):
        if registration is None or deployment_id not in registration.deployment_ids:
            return None
        return Deployment().set_deployment_id(deployment_id)

    def find_deployment(self, iss, deployment_id):
        registrations = self.registrations(iss)
        return self._deployment(registrations[0] if registrations else None, deployment_id)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        return self._deployment(self._with_client(iss, client_id), deployment_id)


def storage() -> DjangoCacheDataStorage:
    return DjangoCacheDataStorage()


def oidc_login(request, conf: CentreToolConf) -> DjangoOIDCLogin:
    return DjangoOIDCLogin(request, conf, launch_data_storage=storage())


def message_launch(request, conf: CentreToolConf) -> DjangoMessageLaunch:
    data_storage = storage()
    launch = DjangoMessageLaunch(request, conf, launch_data_storage=data_storage)
    launch.set_launch_data_lifetime(LAUNCH_LIFETIME_SECONDS)
    launch.set_public_key_caching(data_storage, cache_lifetime=PLATFORM_KEYS_CACHE_SECONDS)
    return launch


def message_launch_from_cache(launch_id: str, request, conf: CentreToolConf):
    return DjangoMessageLaunch.from_cache(launch_id, request, conf, launch_data_storage=storage())
