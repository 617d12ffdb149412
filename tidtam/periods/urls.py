"""URL routes of the periods pages."""

from django.urls import path  # noqa: F401

app_name = "periods"

urlpatterns: list = []
