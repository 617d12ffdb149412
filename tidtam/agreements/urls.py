"""URL routes of the agreements pages: the list, an agreement and its editor, KPIs, year copy."""

from django.urls import path

from tidtam.agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("copy/", views.agreement_copy, name="agreement_copy"),
    path("add/", views.agreement_add, name="agreement_add"),
    path("<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("<int:agreement_id>/edit/", views.agreement_edit, name="agreement_edit"),
    path(
        "<int:agreement_id>/rounds/<int:round_id>/review/",
        views.agreement_review,
        name="agreement_review",
    ),
    path("<int:agreement_id>/weights/", views.agreement_weights, name="agreement_weights"),
    path(
        "<int:agreement_id>/weights/preview/",
        views.agreement_weights_preview_view,
        name="agreement_weights_preview",
    ),
    path("<int:agreement_id>/groups/add/", views.group_add, name="group_add"),
    path("groups/<int:group_id>/kpis/add/", views.kpi_add, name="kpi_add"),
    path("kpis/<int:kpi_id>/", views.kpi_edit, name="kpi_edit"),
    path("kpis/<int:kpi_id>/levels/", views.kpi_levels, name="kpi_levels"),
    path("plans/<int:plan_id>/strategic/", views.strategic_projects, name="strategic_projects"),
    path(
        "strategic/<int:project_id>/",
        views.strategic_project_edit,
        name="strategic_project_edit",
    ),
    path("indicators/<int:indicator_id>/owners/", views.indicator_owners, name="indicator_owners"),
    path("indicators/<int:indicator_id>/policy/", views.indicator_policy, name="indicator_policy"),
    path(
        "indicators/<int:indicator_id>/policy/search/",
        views.indicator_policy_search,
        name="indicator_policy_search",
    ),
]
