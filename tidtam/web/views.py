"""Pages that span apps: search across plans and KPIs, and the history of any object in reach."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from tidtam.orgs.access import reach_of
from tidtam.orgs.models import RoleAssignment
from tidtam.paging import paginate
from tidtam.web.history import object_history
from tidtam.web.search import MAX_QUERY_CHARS
from tidtam.web.search import search as search_selector


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The first page after signing in: an executive's is the dashboard; everyone else's,
    their work."""
    if RoleAssignment.Role.EXECUTIVE in reach_of(request.user).roles:
        return redirect("dashboard:home")
    return redirect("progress:my_work")


@login_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = search_selector(request.user, query, request.GET) if query.strip() else None
    return render(
        request,
        "web/search.html",
        {"query": query[:MAX_QUERY_CHARS], "results": results, "max_chars": MAX_QUERY_CHARS},
    )


@login_required
@require_safe
def history(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """Read-only: the page has no form, and anything but GET or HEAD is refused (405)."""
    history = object_history(request.user, kind, object_id)
    # Newest first, a page at a time: an entry saved all year has a long trail.
    pager = paginate(request, history.events)
    return render(request, "web/history.html", {"history": history, "pager": pager})
