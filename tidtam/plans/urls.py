"""URL routes of the plan set-up pages: the plans, a plan's tree, and what changes it."""

from django.urls import path

from tidtam.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("add/", views.plan_add, name="plan_add"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_id>/copy/", views.plan_copy, name="plan_copy"),
    path("<int:plan_id>/settings/", views.plan_settings, name="plan_settings"),
    path("<int:plan_id>/outputs/add/", views.output_add, name="output_add"),
    path("outputs/<int:output_id>/", views.output_edit, name="output_edit"),
    path("outputs/<int:output_id>/move/", views.output_move, name="output_move"),
    path("outputs/<int:output_id>/activities/add/", views.activity_add, name="activity_add"),
    path("activities/<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/move/", views.activity_move, name="activity_move"),
    path("activities/<int:activity_id>/items/add/", views.work_item_add, name="work_item_add"),
    path("items/<int:work_item_id>/", views.work_item_edit, name="work_item_edit"),
    path("items/<int:work_item_id>/move/", views.work_item_move, name="work_item_move"),
    path("items/<int:work_item_id>/move-to/", views.work_item_move_to, name="work_item_move_to"),
    path("items/<int:work_item_id>/exclude/", views.work_item_exclude, name="work_item_exclude"),
    path("items/<int:work_item_id>/include/", views.work_item_include, name="work_item_include"),
    path(
        "items/<int:work_item_id>/responsibilities/",
        views.responsibilities,
        name="responsibilities",
    ),
    path(
        "items/<int:work_item_id>/responsibilities/remove/",
        views.responsibility_remove,
        name="responsibility_remove",
    ),
    path("items/<int:work_item_id>/months/", views.work_item_months, name="work_item_months"),
    path(
        "items/<int:work_item_id>/budget-line/",
        views.work_item_budget_line,
        name="work_item_budget_line",
    ),
    path(
        "<int:plan_id>/budgets/<int:round_months>/",
        views.work_item_budgets,
        name="work_item_budgets",
    ),
    path("milestones/<int:milestone_id>/", views.milestone_edit, name="milestone_edit"),
]
