"""Two-step sign-in for staff: required for centre admins, offered to other staff, with codes
computed by an independent TOTP implementation (pyotp) as a phone's authenticator app would."""

from __future__ import annotations

from django.urls import reverse

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from lms.accounts.models import Role
from tests.conftest import A_HOST
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db


def _password_step(client, user):
    return client.post(
        reverse("account_login"),
        {"login": user.username, "password": PASSWORD},
        HTTP_HOST=A_HOST,
    )


def _code_step(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code}, HTTP_HOST=A_HOST)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def new_admin(centre_a):
    return member(centre_a, Role.CENTRE_ADMIN, username="new-admin", mfa=False)


def _enrol(client, user) -> str:
    """Walk allauth's set-up page as the person would: read the secret it shows, answer with
    the app's current code. Returns the secret."""
    response = client.get(reverse("mfa_activate_totp"), HTTP_HOST=A_HOST)
    # allauth asks for the password again before any change to the second factor.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD}, HTTP_HOST=A_HOST)
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"), HTTP_HOST=A_HOST)
    assert response.status_code == 200
    secret = response.context["form"].secret
    assert secret in response.content.decode()  # shown for typing it into the app
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"}, HTTP_HOST=A_HOST)
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=user, type="totp").exists()
    response = client.post(
        reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    return secret


def test_a_centre_admin_without_a_second_factor_is_sent_to_set_it_up(client, new_admin):
    assert _password_step(client, new_admin).status_code == 302
    for path in ("/admin/", "/admin/pages/", reverse("counselling:caseload"), "/"):
        response = client.get(path, HTTP_HOST=A_HOST)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path
    page = client.get(reverse("mfa_activate_totp"), HTTP_HOST=A_HOST, follow=True)
    assert "인증 앱을 설정하세요" in page.content.decode()  # the message says why, in Korean
    # Scripts get a refusal they can read, not a redirect to a form.
    response = client.get("/admin/", HTTP_HOST=A_HOST, HTTP_ACCEPT="application/json")
    assert response.status_code == 403


def test_the_whole_flow_enrol_sign_in_wrong_code_recovery_code_once(client, new_admin):
    _password_step(client, new_admin)
    secret = _enrol(client, new_admin)
    assert client.get("/admin/", HTTP_HOST=A_HOST).status_code == 200
    codes = RecoveryCodes(
        Authenticator.objects.get(user=new_admin, type="recovery_codes")
    ).get_unused_codes()
    assert len(codes) == 10
    client.post(reverse("account_logout"), HTTP_HOST=A_HOST)

    # The password alone does not sign in: a code is asked for.
    response = _password_step(client, new_admin)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _signed_in(client)
    assert client.get("/admin/", HTTP_HOST=A_HOST).status_code == 302
    # A wrong code is refused.
    assert _code_step(client, "123456").status_code == 200
    assert not _signed_in(client)
    # The app's code signs in.
    code = pyotp.TOTP(secret).now()
    assert _code_step(client, code).status_code == 302
    assert _signed_in(client)
    assert client.get("/admin/", HTTP_HOST=A_HOST).status_code == 200
    client.post(reverse("account_logout"), HTTP_HOST=A_HOST)

    # The same code a second time (someone who watched it typed) is refused.
    _password_step(client, new_admin)
    _code_step(client, code)
    assert not _signed_in(client)

    # A recovery code works once.
    client.get(reverse("account_login"), HTTP_HOST=A_HOST)
    _password_step(client, new_admin)
    assert _code_step(client, codes[0]).status_code == 302
    assert _signed_in(client)
    client.post(reverse("account_logout"), HTTP_HOST=A_HOST)
    _password_step(client, new_admin)
    _code_step(client, codes[0])
    assert not _signed_in(client)
    _code_step(client, codes[1])
    assert _signed_in(client)


def test_an_enrolled_admin_who_only_knows_the_password_never_reaches_the_admin(client, admin_a):
    _password_step(client, admin_a)
    for guess in ("000000", "999999", "12345678"):
        _code_step(client, guess)
    assert not _signed_in(client)
    assert client.get("/admin/", HTTP_HOST=A_HOST).status_code == 302


def test_instructors_and_counsellors_may_go_without_and_may_enrol(client, instructor_a):
    _password_step(client, instructor_a)
    assert client.get("/admin/", HTTP_HOST=A_HOST).status_code == 200
    # Offered on the account pages.
    profile = client.get(reverse("profile"), HTTP_HOST=A_HOST).content.decode()
    assert reverse("mfa_index") in profile
    secret = _enrol(client, instructor_a)
    client.post(reverse("account_logout"), HTTP_HOST=A_HOST)
    _password_step(client, instructor_a)
    assert not _signed_in(client)
    _code_step(client, pyotp.TOTP(secret).now())
    assert _signed_in(client)


def test_learners_are_not_asked_for_a_second_factor(client, learner_a):
    _password_step(client, learner_a)
    assert _signed_in(client)
    assert client.get(reverse("learning:dashboard"), HTTP_HOST=A_HOST).status_code == 200


def test_an_admin_cannot_remove_the_factor_the_role_requires(client, admin_a):
    """Deactivating TOTP leaves the admin on the set-up page again, never in the admin."""
    client.force_login(admin_a)
    Authenticator.objects.filter(user=admin_a, type="totp").delete()
    response = client.get("/admin/", HTTP_HOST=A_HOST)
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_required_roles_are_a_setting(client, centre_a, settings):
    settings.DASI_MFA_REQUIRED_ROLES = ["centre_admin", "counsellor"]
    counsellor = member(centre_a, Role.COUNSELLOR, username="c-nomfa")
    client.force_login(counsellor)
    response = client.get(reverse("counselling:caseload"), HTTP_HOST=A_HOST)
    assert response["Location"] == reverse("mfa_activate_totp")
