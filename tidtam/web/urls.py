"""URL routes of the pages that span apps: search and history."""

from django.urls import path

from tidtam.web import views

app_name = "web"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("history/<slug:kind>/<int:object_id>/", views.history, name="history"),
]
