from django.urls import path

from . import views

app_name = "skills"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("roles/<slug:slug>/", views.role_detail, name="role"),
    path("goal/", views.goal_set, name="goal_set"),
    path("goal/clear/", views.goal_clear, name="goal_clear"),
    path("self-assessment/", views.self_assessment, name="self_assessment"),
    path("cv/", views.cv, name="cv"),
    path("cv/claims/<int:claim_id>/review/", views.claim_review, name="claim_review"),
    path("postings/", views.postings, name="postings"),
    path("postings/<int:posting_id>/delete/", views.posting_delete, name="posting_delete"),
    path("learners/<int:user_id>/", views.learner_for_staff, name="staff_learner"),
]
