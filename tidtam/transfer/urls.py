"""URL routes of the Excel import and export page."""

from django.urls import path

from tidtam.transfer import views

app_name = "transfer"

urlpatterns = [
    path("", views.home, name="home"),
    path("export/", views.export, name="export"),
    path("jobs/<uuid:import_id>/", views.job, name="job"),
    path("jobs/<uuid:import_id>/apply/", views.job_apply, name="job_apply"),
]
