"""Who calls the API: a personal token (Authorization: Bearer), or a signed-in browser for reads.

The caller becomes `request.user`, so every endpoint reads through the same reach and policy as
the pages, and the history of what a token changes names its person. Each token (or browser
person) has its own request budget per window (`settings.API_RATE_LIMIT`), counted where every
server process sees it: on the token's row, or (a browser) in the shared cache.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from tidtam.api.errors import ApiError
from tidtam.api.models import ApiToken
from tidtam.api.tokens import api_token_check, api_token_count
from tidtam.domain.errors import DomainError
from tidtam.web.accounts import count_attempt

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _limit(request: HttpRequest, who: str, token: ApiToken | None = None) -> None:
    """A token is counted on its own row (one UPDATE); a browser person in the shared cache."""
    limit = int(settings.API_RATE_LIMIT)
    window = int(settings.API_RATE_WINDOW_SECONDS)
    if token is not None:
        wait = api_token_count(token, limit=limit, window=window)
    else:
        wait = count_attempt("api", who, limit=limit, window=window)
    if wait is not None:
        raise ApiError(
            429,
            DomainError("api_rate_limited", limit=limit, window=window, seconds=wait),
            headers={"Retry-After": str(wait)},
        )


class TokenAuth(HttpBearer):
    """A personal token; unknown, revoked or expired: 401 saying which, in Thai."""

    openapi_description = "โทเค็น API ส่วนตัว (สร้างที่หน้าโทเค็น API) / a personal API token"

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        try:
            found = api_token_check(token)
        except DomainError as error:
            raise ApiError(401, error) from None
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        _limit(request, f"token:{found.pk}", found)
        return found


class SessionReadAuth:
    """A signed-in browser (the docs page's "try it out") may read; writes need a token."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS:
            raise ApiError(403, DomainError("api_session_read_only"))
        _limit(request, f"user:{user.pk}")
        return user


def require_write(request: HttpRequest) -> None:
    """Writes need a token of the write scope (403 in Thai otherwise)."""
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is None:
        raise ApiError(403, DomainError("api_session_read_only"))
    if token.scope != ApiToken.Scope.WRITE:
        raise ApiError(403, DomainError("api_token_read_only", prefix=token.prefix))
