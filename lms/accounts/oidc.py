"""Dasi as the OpenID Connect provider of JupyterHub: the claims a relying party receives."""

from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator

from lms.accounts.models import STAFF_ROLES, Membership, Role

LEARNERS_GROUP = "learners"
STAFF_GROUP = "staff"


def hub_username(user) -> str:
    """The stable name a person has on the notebook hub (and as a system user there).

    Built from the primary key, never from the changeable username or display name, so renaming
    someone in Dasi never gives them a second, empty JupyterLab. Valid as a POSIX user name.
    """
    return f"dasi-{user.pk}"


def oidc_groups(user) -> list[str]:
    """Groups for the hub: ``learners`` for people who only learn, ``staff`` for centre staff.

    The hub's service role reaches servers of the ``learners`` group only, so a person who holds a
    staff role anywhere is kept out of that group and Dasi's token cannot act on their server.
    ``centre-<slug>-<role>`` groups name every membership for the hub's own use.
    """
    memberships = Membership.objects.filter(user=user).select_related("centre__site")
    roles = set()
    groups = []
    for membership in memberships:
        roles.add(membership.role)
        groups.append(f"centre-{membership.centre.slug}-{membership.role.replace('_', '-')}")
    if roles & set(STAFF_ROLES) or user.is_superuser:
        groups.insert(0, STAFF_GROUP)
    elif Role.LEARNER in roles:
        groups.insert(0, LEARNERS_GROUP)
    return sorted(set(groups), key=groups.index)


class DasiOAuth2Validator(OAuth2Validator):
    """Adds the claims JupyterHub's GenericOAuthenticator reads: a stable name and the groups."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "preferred_username": "profile",
        "name": "profile",
        "groups": "profile",
        "locale": "profile",
    }

    def get_additional_claims(self, request) -> dict:
        user = request.user
        return {
            "preferred_username": hub_username(user),
            "name": user.display_name,
            "groups": oidc_groups(user),
            "locale": user.preferred_language,
        }
