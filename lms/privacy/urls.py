"""A person's privacy pages under privacy/, and the centre admins' audit log."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("consent/", views.consent, name="consent"),
    path("", views.account, name="account"),
    path("consents/", views.consents_update, name="consents_update"),
    path("export/", views.export_request, name="export_request"),
    path("export/<str:token>/", views.export_download, name="export_download"),
    path("erasure/", views.erasure_request, name="erasure_request"),
    path("erasure/<int:erasure_id>/cancel/", views.erasure_cancel, name="erasure_cancel"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit.csv", views.audit_log_csv, name="audit_log_csv"),
    path("learners/<int:learner_id>/erase/", views.learner_erasure, name="learner_erasure"),
]
