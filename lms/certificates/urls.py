from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("verify/", views.verify_upload, name="verify_upload"),
    path("verify/<uuid:certificate_id>/", views.verify, name="verify"),
    path("<uuid:certificate_id>/credential.json", views.credential_json, name="credential"),
    path(
        "<uuid:certificate_id>/credential.jsonld",
        views.credential_jsonld_download,
        name="credential_jsonld",
    ),
    path(
        "<uuid:certificate_id>/credential.jwt", views.credential_jwt_download, name="credential_jwt"
    ),
    path("<uuid:certificate_id>/pdf/", views.download_pdf, name="pdf"),
    path("issuers/<slug:slug>/", views.issuer_profile, name="issuer"),
    path("issuers/<slug:slug>/jwks.json", views.jwks, name="jwks"),
    path("issuers/<slug:slug>/keys/<str:kid>.json", views.public_key, name="key"),
    path("status/<slug:slug>/", views.status_list, name="status_list"),
]
