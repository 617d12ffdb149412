"""URL routes of the people page."""

from django.urls import path

from tidtam.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.people_home, name="people_home"),
    path("<int:org_id>/", views.people, name="people"),
]
