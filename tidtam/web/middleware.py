"""Requests no form can answer: too big, too many fields or files, NUL bytes or undecodable text.

Django raises RequestDataTooBig / TooManyFieldsSent only when a view first reads request.POST,
and then answers with its bare English 400 page. Reading the body here, before any view, turns
each case into a Thai page that says what the limit is and what to do. NUL bytes and text that
was not valid UTF-8 (Django decodes it to U+FFFD) are refused here too, in the query string and
the body alike: PostgreSQL cannot store a NUL, and a search for one would answer 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

from tidtam.domain.errors import DomainError
from tidtam.domain.thai import format_number
from tidtam.messages import message_for

logger = logging.getLogger(__name__)

BODY_METHODS = {"POST", "PUT", "PATCH"}
# U+FFFD is what Django puts where the bytes were not UTF-8; surrogates cannot be encoded at all.
REPLACEMENT = "\ufffd"


def size_text(size: int) -> str:
    """A size as people read it: "20 MB", "5.5 MB", "900 KB"."""
    if size >= 1024 * 1024:
        megabytes = Decimal(size) / (1024 * 1024)
        places = 0 if megabytes == megabytes.to_integral_value() or megabytes >= 100 else 1
        return f"{format_number(megabytes, places)} MB"
    return f"{format_number(max(Decimal(1), Decimal(size) / 1024), 0)} KB"


def request_max_bytes() -> int:
    return int(getattr(settings, "REQUEST_MAX_BYTES", 100 * 1024 * 1024))


def refuse_bad_text(values: Iterable[tuple[str, str]]) -> DomainError | None:
    """The first field whose name or text holds a NUL or undecodable characters, as an error."""
    for name, value in values:
        for text in (name, value):
            if "\x00" in text:
                return DomainError("null_character", field=_field_name(name))
            if REPLACEMENT in text or any("\ud800" <= ch <= "\udfff" for ch in text):
                return DomainError("invalid_text", field=_field_name(name))
    return None


def _field_name(name: str) -> str:
    # The name itself may be the bad text; show a readable form of it.
    return name.replace("\x00", "").replace(REPLACEMENT, "").strip() or "(ไม่มีชื่อ)"


def _pairs(data: QueryDict) -> Iterable[tuple[str, str]]:
    for name, values in data.lists():
        for value in values:
            if isinstance(value, str):
                yield name, value


class BadInputMiddleware:
    """Answers over-size and undecodable requests with a Thai page before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if response.status_code == 405 and request.path.startswith("/api/"):
            # The API's router answers a method it lacks with a bare English line.
            allowed = response.get("Allow", "")
            error = DomainError(
                "api_method_not_allowed", method=request.method or "-", allowed=allowed or "-"
            )
            answer = self._page(request, "400.html", error, 405)
            answer["Allow"] = allowed
            return answer
        return response

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        error = refuse_bad_text(_pairs(request.GET))
        if error is not None:
            return self._page(request, "400.html", error, 400)
        if request.method not in BODY_METHODS:
            return None
        length = _content_length(request)
        if length > request_max_bytes():
            # Refused before reading: the body is never buffered or written to temp files.
            return self._too_big(request, length, request_max_bytes())
        try:
            request.POST  # noqa: B018 - reading parses the body now, where its errors are caught
            request.FILES  # noqa: B018
            if not (request.content_type or "").startswith("multipart/"):
                # A JSON body (the API) is not parsed into POST: read it now, within the limit.
                request.body  # noqa: B018
        except RequestDataTooBig:
            # The typed fields alone (files aside) passed Django's in-memory limit.
            return self._too_big(request, length, int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0))
        except TooManyFieldsSent:
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            return self._page(request, "413.html", DomainError("too_many_fields", limit=limit), 413)
        except TooManyFilesSent:
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
            return self._page(request, "413.html", DomainError("too_many_files", limit=limit), 413)
        error = refuse_bad_text(_pairs(request.POST))
        if error is not None:
            return self._page(request, "400.html", error, 400)
        return None

    def _too_big(self, request: HttpRequest, length: int, limit: int) -> HttpResponse:
        size = size_text(length) if length else "เกินกำหนด"
        if request.path.startswith("/api/"):
            error = DomainError("api_body_too_big", size=size, limit=size_text(limit))
        else:
            error = DomainError(
                "request_too_big",
                size=size,
                limit=size_text(limit),
                file_limit=size_text(int(getattr(settings, "EVIDENCE_MAX_BYTES", 0)) or length),
            )
        return self._page(request, "413.html", error, 413)

    def _page(
        self, request: HttpRequest, template: str, error: DomainError, status: int
    ) -> HttpResponse:
        logger.info("refused %s %s: %s", request.method, request.path, error)
        if request.path.startswith("/api/"):
            # The REST API answers in JSON: its code and the same Thai message.
            return JsonResponse(
                {"code": error.code, "message": message_for(error)},
                status=status,
                json_dumps_params={"ensure_ascii": False},
            )
        # The view never ran, so what was typed has not been saved: the page says so.
        return render(
            request,
            template,
            {
                "message": message_for(error),
                "code": error.code,
                "back": request.method in BODY_METHODS,
            },
            status=status,
        )


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0
