"""Password reset with a rate limit per address and per client, counted in the shared cache."""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

from tidtam.domain.errors import DomainError
from tidtam.messages import message_for


def client_address(request: HttpRequest) -> str:
    """The client's address; behind the one reverse proxy TIDTAM_BEHIND_PROXY names, the address
    that proxy appended last to X-Forwarded-For (the earlier entries are the client's to forge)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def count_attempt(scope: str, who: str, *, limit: int, window: int) -> int | None:
    """Counts one attempt by `who`; None while within `limit` per `window` seconds, else the
    seconds left until the window ends.

    The key is a hash: the cache table keeps no e-mail addresses. Read and write are not one
    atomic step, so two attempts in the same instant may count once; a limit against a flood of
    mails does not need more.
    """
    cache = caches["shared"]
    key = f"ratelimit:{scope}:" + hashlib.sha256(who.strip().lower().encode()).hexdigest()
    now = time.time()
    count, ends = cache.get(key, (0, 0.0))
    if ends <= now:
        count, ends = 0, now + window
    count += 1
    cache.set(key, (count, ends), timeout=math.ceil(ends - now))
    return None if count <= limit else math.ceil(ends - now)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, refused in Thai (HTTP 429) past the per-client or per-address limit.

    Without it anyone could make the server mail one official hundreds of reset links, or use it
    to send mail to many addresses from the agency's server.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        request: HttpRequest = self.request
        window = settings.PASSWORD_RESET_WINDOW_SECONDS
        checks = (
            ("ip", client_address(request), settings.PASSWORD_RESET_PER_IP),
            ("email", form.cleaned_data["email"], settings.PASSWORD_RESET_PER_EMAIL),
        )
        for scope, who, limit in checks:
            wait = count_attempt(f"reset-{scope}", who, limit=limit, window=window)
            if wait is not None:
                error = DomainError(
                    f"password_reset_limited_{scope}",
                    email=form.cleaned_data["email"],
                    limit=limit,
                    minutes=max(1, math.ceil(wait / 60)),
                )
                form.add_error("email", message_for(error))
                response = self.form_invalid(form)
                response.status_code = 429
                return response
        return super().form_valid(form)
