"""URL route of the person's API token page."""

from django.urls import path

from tidtam.api import views

app_name = "tokens"

urlpatterns = [
    path("", views.tokens, name="list"),
]
