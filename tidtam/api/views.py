"""The person's API token page: make a token (its secret shown once), see and revoke them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tidtam.api.forms import TokenForm
from tidtam.api.tokens import api_token_create, api_token_revoke, tokens_of
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.ui.errors import SAVE_ERRORS, add_save_error


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """GET: the person's tokens; POST: make one (action=create) or revoke one (action=revoke)."""
    form = TokenForm()
    secret = ""
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            try:
                token_id = int(request.POST.get("token", ""))
            except ValueError:
                token_id = 0
            try:
                revoked = api_token_revoke(user=request.user, token_id=token_id)
            except DomainError as error:
                messages.error(request, message_for(error))
                status = 404
            else:
                messages.success(request, f"ยกเลิกโทเค็น {revoked.prefix} แล้ว ใช้กับ API ไม่ได้อีก")
                return redirect("tokens:list")
        else:
            form = TokenForm(request.POST)
            if form.is_valid():
                try:
                    made = api_token_create(
                        user=request.user,
                        name=form.cleaned_data["name"],
                        scope=form.cleaned_data["scope"],
                        days=form.cleaned_data["days"],
                    )
                except SAVE_ERRORS as error:
                    add_save_error(form, error, default="days")
                    status = 400
                else:
                    # Shown on this answer only: the page after it (or a reload) never has it.
                    secret = made.secret
                    form = TokenForm()
            else:
                status = 400
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": list(tokens_of(request.user)),
            "now": timezone.now(),
        },
        status=status,
    )


def api_path_unknown(request: HttpRequest, rest: str = "") -> JsonResponse:
    """A path under /api/ that names no endpoint: 404 in the API's JSON, not the pages' HTML."""
    error = DomainError("api_not_found", what="ที่อยู่ API นี้")
    return JsonResponse(
        {"code": error.code, "message": message_for(error)},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
