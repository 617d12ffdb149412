"""Routes of the documents pages, mounted at /documents/."""

from django.urls import path

from tidtam.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.document_list, name="documents"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job_download"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry, name="job_retry"),
    path("<slug:document>/<slug:org>/<int:fy>/print/", views.document_print_view, name="print"),
    path(
        "<slug:document>/<slug:org>/<int:fy>/<int:round_months>/print/",
        views.document_print_view,
        name="print_round",
    ),
]
