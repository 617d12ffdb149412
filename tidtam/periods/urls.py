"""URL routes of the reporting calendar: fiscal years, rounds, deadlines."""

from django.urls import path

from tidtam.periods import views

app_name = "periods"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("years/add/", views.fiscal_year_add, name="fiscal_year_add"),
    path("<int:round_id>/", views.round_edit, name="round_edit"),
    path("<int:round_id>/open/", views.round_open_view, name="round_open"),
    path("<int:round_id>/close/", views.round_close_view, name="round_close"),
]
