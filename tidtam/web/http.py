"""HTTP behaviour for production: when sessions are written, and what browsers and proxies may cache."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse

# The session key that holds when the session was last written (seconds since the epoch).
REFRESHED_KEY = "_tidtam_refreshed"


class SessionRefreshMiddleware:
    """Keeps the sliding idle expiry while writing a signed-in session at most every few minutes.

    SESSION_SAVE_EVERY_REQUEST would write the session row on every page view, and on SQLite
    every write takes the single write lock, so page views queue behind each other. Writing it
    only when the last write is older than TIDTAM_SESSION_REFRESH_SECONDS moves the expiry on
    just as well: a session still ends SESSION_COOKIE_AGE after the last request, give or take
    that interval.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Only a signed-in session is worth keeping alive; signing out flushes the session and
        # must not be undone by a write here.
        if user is not None and user.is_authenticated and not request.session.is_empty():
            now = time.time()
            last = request.session.get(REFRESHED_KEY, 0)
            if now - last >= settings.SESSION_REFRESH_SECONDS:
                request.session[REFRESHED_KEY] = now
        return response


def stamp_session_on_sign_in(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """Signing in writes the session anyway: stamp it then, so the next pages write nothing."""
    request.session[REFRESHED_KEY] = time.time()


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every page for a signed-in person and every download.

    A shared proxy or the browser's back button must not hand one official's work list, or an
    evidence file, to whoever uses the machine next. Static files never reach this (WhiteNoise
    answers them first) and keep their long caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = isinstance(response, FileResponse) or response.has_header("Content-Disposition")
        # What an agency published for anyone (tidtam.portal) stays cacheable by anyone.
        public = "public" in response.get("Cache-Control", "")
        if signed_in or (download and not public):
            response["Cache-Control"] = "private, no-store"
        return response


_STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def allow_own_style_blocks(response: HttpResponse, html: str) -> HttpResponse:
    """Lets the CSP accept exactly the <style> blocks of a page the server itself built.

    The printable documents must work when saved as one file, so they carry their fonts and
    layout in a <style> block. Listing each block's SHA-256 allows those blocks and nothing
    else, where 'unsafe-inline' would allow any style a crafted text could smuggle in.
    """
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in _STYLE_BLOCK.findall(html)
    ]
    if hashes:
        response._csp_update = {"style-src": hashes}  # type: ignore[attr-defined]
    return response
