from django.urls import path

from . import views

app_name = "sandboxes"

urlpatterns = [
    path("<int:assessment_id>/in/<int:lesson_id>/", views.launch_start, name="start"),
    path("launches/<uuid:launch_id>/", views.launch_page, name="launch"),
    path("launches/<uuid:launch_id>/status", views.launch_status, name="status"),
]
