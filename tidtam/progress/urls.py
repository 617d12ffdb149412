"""URL routes of round work: my work, entries, evidence, the review, and the round's status."""

from django.urls import path

from tidtam.progress import views

app_name = "progress"

urlpatterns = [
    path("", views.my_work, name="my_work"),
]
