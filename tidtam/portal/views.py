"""/public/: what agencies have published, without signing in (each page cacheable by anyone),
and /public/manage/ where an organisation's planner publishes and withdraws."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from tidtam.domain.errors import DomainError
from tidtam.messages import DOCUMENT_TITLES, message_for
from tidtam.orgs import access
from tidtam.plans.models import OperatingPlan
from tidtam.portal import opendata, services
from tidtam.portal.models import Publication
from tidtam.web.http import allow_own_style_blocks

PUBLIC = cache_control(public=True, max_age=300)


@require_safe
@PUBLIC
def index(request: HttpRequest) -> HttpResponse:
    published = services.in_public().select_related("organization")
    agencies: dict[int, dict[str, Any]] = {}
    for p in published.order_by("organization__code", "-year"):
        entry = agencies.setdefault(
            p.organization_id, {"organization": p.organization, "years": []}
        )
        if p.year not in entry["years"]:
            entry["years"].append(p.year)
    return render(request, "portal/index.html", {"agencies": list(agencies.values())})


def _published(org_code: str, year: int) -> list[Publication]:
    found = list(
        services.in_public()
        .filter(organization__code=org_code, year=year)
        .select_related("organization")
        .order_by("document")
    )
    if not found:
        raise Http404
    return found


@require_safe
@PUBLIC
def agency_year(request: HttpRequest, org_code: str, year: int) -> HttpResponse:
    publications = _published(org_code, year)
    order = list(services.PUBLISHABLE)
    publications.sort(key=lambda p: order.index(p.document))
    return render(
        request,
        "portal/agency_year.html",
        {
            "organization": publications[0].organization,
            "year": year,
            "documents": [
                (p, DOCUMENT_TITLES[p.document], p.content.get("ita") or {}) for p in publications
            ],
        },
    )


def _one(org_code: str, year: int, document: str) -> Publication:
    return get_object_or_404(
        services.in_public(), organization__code=org_code, year=year, document=document
    )


@require_safe
@PUBLIC
def document_html(request: HttpRequest, org_code: str, year: int, document: str) -> HttpResponse:
    publication = _one(org_code, year, document)
    html = services.page_of(publication)
    return allow_own_style_blocks(HttpResponse(html, content_type="text/html; charset=utf-8"), html)


@require_safe
@PUBLIC
def document_pdf(request: HttpRequest, org_code: str, year: int, document: str) -> HttpResponseBase:
    publication = _one(org_code, year, document)
    try:
        publication = services.pdf_of(publication)
    except DomainError as error:  # LibreOffice missing or failing on this server
        return render(request, "portal/no_pdf.html", {"message": message_for(error)}, status=503)
    return FileResponse(
        publication.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{org_code}-{year}-{document}.pdf",
    )


@require_safe
@PUBLIC
def document_json(request: HttpRequest, org_code: str, year: int, document: str) -> HttpResponse:
    publication = _one(org_code, year, document)
    body = json.dumps(publication.content, ensure_ascii=False, indent=1).encode()
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{org_code}-{year}-{document}.json"'
    return response


@require_safe
@PUBLIC
def document_csv(request: HttpRequest, org_code: str, year: int, document: str) -> HttpResponse:
    publication = _one(org_code, year, document)
    response = HttpResponse(opendata.as_csv(publication.content), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{org_code}-{year}-{document}.csv"'
    return response


@login_required
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    """The planner's organisations and years: each publishable document, in public or not."""
    organizations = access.organizations_planned(request.user).order_by("code")
    plans = (
        OperatingPlan.objects.filter(organization__in=organizations)
        .select_related("organization", "fiscal_year")
        .order_by("organization__code", "-fiscal_year__year")
    )
    current = {
        (p.organization_id, p.year, p.document): p
        for p in services.in_public().filter(organization__in=organizations)
    }
    rows = [
        (
            plan.organization,
            plan.fiscal_year.year,
            [
                (
                    code,
                    DOCUMENT_TITLES[code],
                    current.get((plan.organization_id, plan.fiscal_year.year, code)),
                )
                for code in services.PUBLISHABLE
            ],
        )
        for plan in plans
    ]
    return render(request, "portal/manage.html", {"rows": rows})


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    organization = get_object_or_404(
        access.organizations_visible(request.user), code=request.POST.get("org", "")
    )
    year = request.POST.get("year", "")
    try:
        if not year.isdigit():  # the year as typed, not a 0 that no one typed
            raise DomainError("year_not_a_number", value=year or "(ว่าง)", field="ปีงบประมาณ")
        services.publish(
            user=request.user,
            organization=organization,
            year=int(year),
            document=request.POST.get("document", ""),
        )
    except DomainError as error:
        messages.error(request, message_for(error))
        return redirect("portal:manage")
    messages.success(
        request, f"เผยแพร่{DOCUMENT_TITLES.get(request.POST.get('document', ''), '')}แล้ว"
    )
    return redirect("portal:manage")


@login_required
@require_POST
def withdraw(request: HttpRequest, publication_id: int) -> HttpResponse:
    publication = get_object_or_404(
        services.in_public().filter(organization__in=access.organizations_visible(request.user)),
        pk=publication_id,
    )
    try:
        services.withdraw(user=request.user, publication=publication)
    except DomainError as error:
        messages.error(request, message_for(error))
        return redirect("portal:manage")
    messages.success(request, "ยกเลิกการเผยแพร่แล้ว")
    return redirect("portal:manage")
