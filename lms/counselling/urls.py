"""Cockpit pages under counselling/, and the learner's own data under my-data/."""

from django.urls import path

from . import views

app_name = "counselling"

urlpatterns = [
    path("counselling/", views.caseload, name="caseload"),
    path("counselling/caseload.csv", views.caseload_csv, name="caseload_csv"),
    path("counselling/at-risk/", views.at_risk, name="at_risk"),
    path("counselling/cohorts/", views.cohorts, name="cohorts"),
    path("counselling/learners/<int:learner_id>/", views.learner, name="learner"),
    path("counselling/learners/<int:learner_id>/notes/", views.note_create, name="note_create"),
    path("counselling/learners/<int:learner_id>/plan/", views.plan_create, name="plan_create"),
    path("counselling/notes/<int:note_id>/", views.note_detail, name="note"),
    path("counselling/assignments/", views.assignments, name="assignments"),
    path(
        "counselling/assignments/<int:assignment_id>/remove/",
        views.unassign,
        name="unassign",
    ),
    path("counselling/access-log/", views.access_log, name="access_log"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download.json", views.my_data_json, name="my_data_json"),
]
