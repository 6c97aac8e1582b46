from django.urls import path

from . import deadline_views, views

app_name = "assessments"

urlpatterns = [
    path("grades/", views.my_grades, name="my_grades"),
    path("calendar/", deadline_views.calendar, name="calendar"),
    path("calendar/feed/", deadline_views.calendar_feed_new, name="calendar_feed_new"),
    path("calendar/feed/revoke/", deadline_views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("calendar/<str:token>.ics", deadline_views.calendar_ics, name="calendar_ics"),
    path("<int:assessment_id>/in/<int:lesson_id>/", views.quiz, name="quiz"),
    path("<int:assessment_id>/exercise/<int:lesson_id>/", views.exercise, name="exercise"),
    path(
        "<int:assessment_id>/exercise/<int:lesson_id>/download/",
        views.exercise_download,
        name="exercise_download",
    ),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:attempt_id>/answer/", views.attempt_answer, name="answer"),
    path("attempts/<int:attempt_id>/save/", views.attempt_save, name="save"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="submit"),
]
