"""Notifications, preferences, course announcements and private messages."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_read, name="mark_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("courses/<int:course_id>/announcements/", views.announcements, name="announcements"),
    path("messages/", views.threads, name="threads"),
    path("messages/new/", views.message_new, name="message_new"),
    path("messages/<int:thread_id>/", views.thread, name="thread"),
]
