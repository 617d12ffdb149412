from django.urls import path

from tidtam.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("manage/", views.manage, name="manage"),
    path("manage/publish/", views.publish, name="publish"),
    path("manage/<int:publication_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:org_code>/<int:year>/", views.agency_year, name="agency_year"),
    path("<slug:org_code>/<int:year>/<slug:document>/", views.document_html, name="document"),
    path("<slug:org_code>/<int:year>/<slug:document>.json", views.document_json, name="json"),
    path("<slug:org_code>/<int:year>/<slug:document>.csv", views.document_csv, name="csv"),
    path("<slug:org_code>/<int:year>/<slug:document>.pdf", views.document_pdf, name="pdf"),
]
