"""Admin entries for certificates (centre admins of the centre only)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from lms.accounts.menu import CentreAdminMenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [
        path("certificates/", admin_views.certificate_list, name="certificates_admin_list"),
        path("certificates/issue/", admin_views.issue, name="certificates_admin_issue"),
        path(
            "certificates/batches/<int:batch_id>/",
            admin_views.batch,
            name="certificates_admin_batch",
        ),
        path(
            "certificates/<uuid:certificate_id>/revoke/",
            admin_views.revoke,
            name="certificates_admin_revoke",
        ),
        path(
            "certificates/<uuid:certificate_id>/reissue/",
            admin_views.reissue,
            name="certificates_admin_reissue",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return CentreAdminMenuItem(
        _("Certificates"), reverse("certificates_admin_list"), icon_name="doc-full", order=265
    )
