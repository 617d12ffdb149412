"""Personal API tokens: made (the secret returned once), revoked, and checked on every request."""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from tidtam.api.models import ApiToken
from tidtam.concurrency import when_label
from tidtam.domain.errors import DomainError

# What every token starts with: a reader (a person, a secret scanner) recognises it.
TOKEN_MARK = "tidtam_"
_PREFIX_CHARS = 8
# Writes of last_used_at at most this often per token (one UPDATE a minute, not one a request).
_LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    # The whole token, shown once on the person's page; nothing else ever holds it.
    secret: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def max_days() -> int:
    return int(getattr(settings, "API_TOKEN_MAX_DAYS", 365))


@transaction.atomic
def api_token_create(*, user: Any, name: str, scope: str, days: int) -> NewToken:
    """A new token of the person's, valid for `days` days; its secret is in the answer only."""
    if not 1 <= days <= max_days():
        raise DomainError("api_token_days", days=days, limit=max_days())
    prefix = TOKEN_MARK + secrets.token_hex(_PREFIX_CHARS // 2)
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        scope=ApiToken.Scope(scope),
        prefix=prefix,
        secret_hash=digest(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return NewToken(token, secret)


@transaction.atomic
def api_token_revoke(*, user: Any, token_id: int) -> ApiToken:
    """Revoke one of the person's own tokens (revoking it again changes nothing)."""
    token = tokens_of(user).select_for_update().filter(pk=token_id).first()
    if token is None:
        raise DomainError("api_token_not_yours")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk)


def api_token_check(secret: str) -> ApiToken:
    """The live token a request's secret names, with its user; DomainError saying why not
    (unknown, revoked, expired, the account switched off). Found by its hash (indexed)."""
    token = (
        ApiToken.objects.select_related("user").filter(secret_hash=digest(secret.strip())).first()
    )
    if token is None:
        raise DomainError("api_token_unknown")
    now = timezone.now()
    if token.revoked_at is not None:
        raise DomainError("api_token_revoked", prefix=token.prefix, at=when_label(token.revoked_at))
    if token.expires_at <= now:
        raise DomainError("api_token_expired", prefix=token.prefix, at=when_label(token.expires_at))
    if not token.user.is_active:
        raise DomainError("api_account_inactive", prefix=token.prefix)
    if token.last_used_at is None or now - token.last_used_at >= _LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_count(token: ApiToken, *, limit: int, window: int) -> int | None:
    """Count one request of the token in the current window (fixed windows of `window` seconds);
    None while within `limit`, else the seconds until the window ends.

    One UPDATE … RETURNING on the token's row: concurrent requests of one token queue on the row
    and each gets its own count (no lost increments, no second round trip).
    """
    now = time.time()
    start = int(now // window * window)
    table = connection.ops.quote_name(ApiToken._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET window_count = CASE WHEN window_start = %s"
            " THEN window_count + 1 ELSE 1 END, window_start = %s WHERE id = %s"
            " RETURNING window_count",
            [start, start, token.pk],
        )
        row = cursor.fetchone()
    count = int(row[0]) if row else 1
    return None if count <= limit else max(1, math.ceil(start + window - now))
