"""URL routes of the reporting calendar: fiscal years, and each organisation's rounds and deadlines."""

from django.urls import path

from tidtam.periods import views

app_name = "periods"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("years/add/", views.fiscal_year_add, name="fiscal_year_add"),
    path("org/<int:org_id>/", views.calendar, name="calendar"),
    path("org/<int:org_id>/<int:round_id>/", views.round_edit, name="round_edit"),
    path("org/<int:org_id>/<int:round_id>/open/", views.round_open_view, name="round_open"),
    path("org/<int:org_id>/<int:round_id>/close/", views.round_close_view, name="round_close"),
    path(
        "org/<int:org_id>/<int:round_id>/inherit/",
        views.round_inherit_view,
        name="round_inherit",
    ),
]
