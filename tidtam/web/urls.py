"""URL routes of the pages that span apps: search and history."""

from django.urls import path  # noqa: F401

app_name = "web"

urlpatterns: list = []
