"""Centre admins connect their own centre's store, and only theirs; secrets stay encrypted."""

from __future__ import annotations

from django.urls import reverse

import pytest

from lms.accounts.models import Role
from lms.xapi.models import LrsEndpoint
from lms.xapi.selectors import store_for
from tests.conftest import A_HOST
from tests.factories import member, mfa_enrol

pytestmark = pytest.mark.django_db
URL = reverse("xapi_admin_stores")


def _post(client, scope, **fields):
    data = {"scope": scope}
    data.update({f"{scope}-{k}": v for k, v in fields.items()})
    return client.post(URL, data, HTTP_HOST=A_HOST)


def test_centre_admin_sets_the_store_and_the_secret_is_encrypted(client, admin_a, centre_a):
    client.force_login(admin_a)
    assert client.get(URL, HTTP_HOST=A_HOST).status_code == 200
    response = _post(
        client,
        str(centre_a.pk),
        url="https://lrs.example.org/xAPI/",
        username="k",
        password="s3cret-value",
        enabled="on",
    )
    assert response.status_code == 302
    endpoint = LrsEndpoint.objects.get(centre=centre_a)
    assert b"s3cret-value" not in bytes(endpoint.password_encrypted)
    assert store_for(centre_id=centre_a.pk).password == "s3cret-value"
    page = client.get(URL, HTTP_HOST=A_HOST).content.decode()
    assert "s3cret-value" not in page
    # Changing the address without a secret keeps the stored secret.
    _post(client, str(centre_a.pk), url="https://lrs2.example.org/xAPI/", username="k")
    store = store_for(centre_id=centre_a.pk)
    assert store.url == "https://lrs2.example.org/xAPI/" and store.password == "s3cret-value"
    assert store.enabled is False


def test_a_new_store_needs_a_secret_and_a_valid_address(client, admin_a, centre_a):
    client.force_login(admin_a)
    assert (
        _post(client, str(centre_a.pk), url="https://lrs.example.org/", username="k").status_code
        == 400
    )
    assert (
        _post(client, str(centre_a.pk), url="not a url", username="k", password="x").status_code
        == 400
    )
    assert not LrsEndpoint.objects.exists()


def test_other_centre_and_platform_scopes_are_refused(client, admin_a, centre_a, centre_b):
    client.force_login(admin_a)
    for scope in (str(centre_b.pk), "platform"):
        response = _post(client, scope, url="https://evil.example/", username="k", password="x")
        assert response.status_code in (302, 403)
    assert not LrsEndpoint.objects.exists()


def test_superuser_sets_the_platform_store_used_by_centres_without_one(client, centre_a):
    root = member(centre_a, Role.LEARNER, username="root")
    root.is_superuser = root.is_staff = True
    root.save()
    mfa_enrol(root)  # superusers reach the admin only with a second sign-in step
    client.force_login(root)
    _post(
        client,
        "platform",
        url="https://lrs.example.org/xAPI/",
        username="p",
        password="pw",
        enabled="on",
    )
    assert store_for(centre_id=centre_a.pk).username == "p"
