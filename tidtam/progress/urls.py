"""URL routes of round work: my work, entries, evidence, the review, and the round's status."""

from django.urls import path

from tidtam.progress import views

app_name = "progress"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("items/<int:work_item_id>/rounds/<int:round_id>/", views.entry, name="entry"),
    path(
        "items/<int:work_item_id>/rounds/<int:round_id>/preview/",
        views.entry_preview,
        name="entry_preview",
    ),
    path(
        "items/<int:work_item_id>/rounds/<int:round_id>/unlock/",
        views.entry_unlock,
        name="entry_unlock",
    ),
    path("kpis/<int:indicator_id>/rounds/<int:round_id>/", views.result, name="result"),
    path(
        "kpis/<int:indicator_id>/rounds/<int:round_id>/units/",
        views.result_units,
        name="result_units",
    ),
    path(
        "kpis/<int:indicator_id>/rounds/<int:round_id>/unlock/",
        views.result_unlock,
        name="result_unlock",
    ),
    path("entries/<int:entry_id>/review/", views.entry_review, name="entry_review"),
    path("results/<int:result_id>/review/", views.result_review, name="result_review"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("evidence/<int:evidence_id>/remove/", views.evidence_remove, name="evidence_remove"),
    path("status/", views.round_status_default, name="round_status"),
    path(
        "status/<int:plan_id>/rounds/<int:round_id>/",
        views.round_status_view,
        name="round_status",
    ),
]
