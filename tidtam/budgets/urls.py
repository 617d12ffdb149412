"""URL routes of the budget line pages."""

from django.urls import path

from tidtam.budgets import views

app_name = "budgets"

urlpatterns = [
    path("plans/<int:plan_id>/", views.line_list, name="line_list"),
    path("plans/<int:plan_id>/add/", views.line_add, name="line_add"),
    path("plans/<int:plan_id>/allocations/", views.allocations, name="allocations"),
    path(
        "plans/<int:plan_id>/spending/<int:round_months>/",
        views.round_spending,
        name="round_spending",
    ),
    path("lines/<int:line_id>/", views.line_edit, name="line_edit"),
    path("lines/<int:line_id>/months/", views.line_months, name="line_months"),
]
