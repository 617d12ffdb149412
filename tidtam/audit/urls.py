"""URL routes of the read log."""

from django.urls import path

from tidtam.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.read_log, name="read_log"),
]
