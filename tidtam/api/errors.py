"""Every refusal of the API as JSON: its code, the Thai message a person reads, and details.

Handlers for what the endpoints raise (a rule of the core, a version conflict, a closed round,
Django's 404 and 403, the request's own validation) are installed on the API once
(`install`), so an endpoint parses its input, calls one service or selector, and returns.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tidtam.concurrency import EntryConflict
from tidtam.domain.errors import DomainError
from tidtam.messages import (
    API_INPUT_BODY,
    API_INPUT_OTHER,
    API_INPUT_PROBLEMS,
    message_for,
)
from tidtam.ui.permissions import READ_ONLY_MESSAGE
from tidtam.web.middleware import size_text

logger = logging.getLogger(__name__)

# A rule refused because of the object's state now (another person's change, the round, the
# review): 409; any other rule the input broke: 422.
CONFLICT_CODES = frozenset(
    {
        "entry_conflict",
        "entry_version_stale",
        "round_closed",
        "round_not_opened",
        "entry_locked",
        "transition_not_allowed",
        "approver_is_submitter",
        "budget_months_changed",
        "months_closed",
        "duplicate_row",
        "unlock_round_open",
        "version_unknown",
    }
)

# Conflicts worded for a page (the typed figures stay in the form, press save again): the API
# says them its own way, under the same code.
API_WORDS = {
    "entry_conflict": "api_entry_conflict",
    "budget_months_changed": "api_set_changed",
}


class ErrorOut(Schema):
    """A refusal: `code` for programs, `message` (Thai) for people, `details` where useful
    (the fields of a conflict, the problems of the input)."""

    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ApiError(Exception):
    """A refusal with its HTTP status and the DomainError that words it."""

    def __init__(
        self,
        status: int,
        error: DomainError,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error.code)
        self.status = status
        self.error = error
        self.details = details
        self.headers = headers or {}


def not_found(what: str) -> ApiError:
    return ApiError(404, DomainError("api_not_found", what=what))


# The statuses every endpoint may answer with besides its own (for the schema); 400: a query
# string with a NUL or text that is not UTF-8 (BadInputMiddleware, before any endpoint).
COMMON = (400, 401, 404, 422, 429)
WRITES = (400, 401, 403, 404, 409, 422, 429)


def responses(ok: Any, *, status: int = 200, errors: tuple[int, ...] = COMMON) -> dict[int, Any]:
    return {status: ok, **{code: ErrorOut for code in errors}}


def _json(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    error: DomainError,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    worded = (
        DomainError(API_WORDS[error.code], **error.params) if error.code in API_WORDS else error
    )
    body: dict[str, Any] = {"code": error.code, "message": message_for(worded)}
    if details is not None:
        body["details"] = details
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _problem(error: dict[str, Any]) -> dict[str, Any]:
    """One problem of the input, in Thai, with where it is (query.limit, body.result_text)."""
    loc = [str(part) for part in error.get("loc", ()) if part not in ("response",)]
    kind = str(error.get("type", ""))
    context = {k: _show(v) for k, v in (error.get("ctx") or {}).items()}
    if kind == "value_error":
        context.setdefault("detail", str(error.get("msg", "")).removeprefix("Value error, "))
    template = API_INPUT_PROBLEMS.get(kind, API_INPUT_OTHER)
    try:
        text = template.format(**context)
    except (KeyError, IndexError, ValueError):
        text = API_INPUT_OTHER
    where = ".".join(loc) if loc else API_INPUT_BODY
    return {"field": where, "type": kind, "message": text}


def _show(value: Any) -> str:
    return str(value) if not isinstance(value, BaseException) else type(value).__name__


def input_error(errors: list[dict[str, Any]]) -> tuple[DomainError, list[dict[str, Any]]]:
    problems = [_problem(e) for e in errors]
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:5])
    if len(problems) > 5:
        summary += f"; และอีก {len(problems) - 5} ข้อ"
    return DomainError("api_invalid_input", problems=summary), problems


def domain_status(error: DomainError) -> int:
    return 409 if error.code in CONFLICT_CODES else 422


def install(api: NinjaAPI) -> None:
    """Put the handlers on the API: nothing a client sends turns into a 500."""

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _json(api, request, exc.status, exc.error, exc.details, exc.headers)

    @api.exception_handler(EntryConflict)
    def _conflict(request: HttpRequest, exc: EntryConflict) -> HttpResponse:
        details = [
            {"field": c.field, "label": c.label, "seen": _plain(c.seen), "now": _plain(c.now)}
            for c in exc.changes
        ]
        return _json(api, request, 409, exc, details)

    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return _json(api, request, domain_status(exc), exc)

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = list(exc.errors)
        if any(e.get("type") == "json_invalid" for e in errors):
            return _json(api, request, 400, DomainError("api_bad_json"))
        error, problems = input_error(errors)
        return _json(api, request, 422, error, problems)

    @api.exception_handler(DjangoValidationError)
    def _model_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        text = " ".join(exc.messages)
        return _json(api, request, 422, DomainError("api_invalid_input", problems=text))

    @api.exception_handler(DataError)
    def _data(request: HttpRequest, exc: DataError) -> HttpResponse:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return _json(api, request, 422, DomainError("database_refused", detail=detail))

    @api.exception_handler(IntegrityError)
    def _integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        return _json(api, request, 409, DomainError("duplicate_row"))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _json(api, request, 401, DomainError("api_token_missing"))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _json(api, request, 404, DomainError("api_not_found", what="รายการ"))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # The pages' refusals (tidtam.ui.permissions): an auditor or executive only reads.
        code = "api_read_only" if str(exc) == READ_ONLY_MESSAGE else "api_forbidden"
        return _json(api, request, 403, DomainError(code))

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # BadInputMiddleware refuses it first; here for a request that reaches the API unread.
        limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        error = DomainError("api_body_too_big", size="เกินกำหนด", limit=size_text(limit))
        return _json(api, request, 413, error)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own refusals (a body that is not JSON, a wrong content type).
        code = "api_bad_json" if exc.status_code == 400 else "api_invalid_input"
        error = DomainError(code, problems=str(exc))
        return _json(api, request, exc.status_code, error)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
