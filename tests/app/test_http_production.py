"""Production HTTP behaviour through the test client: when the session is written, what may be
cached, the Content Security Policy, and the rate limit on password reset."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.app.conftest import open_round_for, signed_in
from tidtam.plans.models import WorkItem
from tidtam.progress.models import Evidence
from tidtam.web.http import REFRESHED_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

PLANNER_EMAIL = "planner@demo.tidtam.invalid"
MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


# --- sessions ---------------------------------------------------------------------------------


def stored_session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def set_stored_session(client: Client, *, refreshed_ago: float, expires_in: timedelta) -> None:
    """Rewrites the stored session as if it had last been written `refreshed_ago` seconds ago."""
    store = client.session
    store[REFRESHED_KEY] = time.time() - refreshed_ago
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )


def test_page_views_do_not_write_a_session_written_minutes_ago(client: Client) -> None:
    signed_in(client, "reporter")
    set_stored_session(client, refreshed_ago=60, expires_in=timedelta(hours=1))
    before = stored_session(client).expire_date

    for _ in range(3):
        assert client.get(reverse("progress:my_work")).status_code == 200

    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert stored_session(client).expire_date == before


def test_the_pages_after_signing_in_write_no_session(client: Client) -> None:
    signed_in(client, "reporter")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(reverse("progress:my_work")).status_code == 200
    session_sql = [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert session_sql  # the session was read
    assert [sql for sql in session_sql if not sql.lstrip().upper().startswith("SELECT")] == []


def test_a_session_older_than_the_refresh_interval_slides_its_expiry_forward(
    client: Client,
) -> None:
    signed_in(client, "reporter")
    stale = settings.SESSION_REFRESH_SECONDS + 1
    set_stored_session(client, refreshed_ago=stale, expires_in=timedelta(hours=1))

    assert client.get(reverse("progress:my_work")).status_code == 200

    expires = stored_session(client).expire_date
    full = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expires - full).total_seconds()) < 60
    # The page after it, within the interval, writes nothing again.
    assert client.get(reverse("progress:my_work")).status_code == 200
    assert stored_session(client).expire_date == expires


def test_an_idle_session_past_its_expiry_signs_the_person_out(client: Client) -> None:
    signed_in(client, "reporter")
    set_stored_session(client, refreshed_ago=0, expires_in=timedelta(seconds=-1))

    response = client.get(reverse("progress:my_work"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- caching ----------------------------------------------------------------------------------


def test_pages_for_a_signed_in_person_are_not_stored_by_any_cache(client: Client) -> None:
    signed_in(client, "planner")
    for url in (reverse("progress:my_work"), reverse("web:search") + "?q=แผน", "/no-such-page/"):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_an_evidence_download_is_not_stored_by_any_cache(client: Client, tmp_path: Path) -> None:
    round_ = open_round_for(2567, 6)
    item = WorkItem.objects.get(name=MAINTENANCE)
    with override_settings(DEMO_TODAY="2024-04-08", EVIDENCE_ROOT=tmp_path / "evidence"):
        saved = signed_in(client, "reporter").post(
            reverse("progress:entry", args=[item.pk, round_.pk]),
            {
                "result_text": "ดำเนินการได้ 9 กิจกรรม",
                "result_quantity": "9",
                "submit": "0",
                "evidence": [SimpleUploadedFile("รายงาน.pdf", PDF, "application/pdf")],
            },
        )
        assert saved.status_code == 302, saved.content.decode()[:2000]
        evidence = Evidence.objects.get(original_name="รายงาน.pdf")
        download = client.get(reverse("progress:evidence", args=[evidence.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]

    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"


# --- content security policy ------------------------------------------------------------------


def test_every_page_forbids_inline_script_and_eval(client: Client) -> None:
    signed_in(client, "planner")
    page = client.get(reverse("progress:my_work"))
    policy = csp_directives(page["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    html = page.content.decode()
    # htmx is told not to inject its indicator <style> and not to evaluate hx-on handlers.
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html


def test_the_printable_document_allows_its_own_style_block_by_hash_and_nothing_else(
    client: Client,
) -> None:
    signed_in(client, "bic-planner")
    page = client.get(reverse("reports:print", args=["agreement", "ops-bic", 2564]))
    assert page.status_code == 200
    html = page.content.decode()
    blocks = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    assert len(blocks) == 1
    digest = base64.b64encode(hashlib.sha256(blocks[0].encode()).digest()).decode()
    policy = csp_directives(page["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'", f"'sha256-{digest}'"]
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]
    assert "data:" in policy["font-src"]  # the embedded Sarabun


# --- password reset ---------------------------------------------------------------------------


def ask_for_reset(client: Client, email: str, address: str = "10.0.0.1") -> object:
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_mails_one_address_at_most_three_times_an_hour(client: Client) -> None:
    for _ in range(settings.PASSWORD_RESET_PER_EMAIL):
        response = ask_for_reset(client, PLANNER_EMAIL)
        assert response.status_code == 302  # type: ignore[attr-defined]

    refused = ask_for_reset(client, PLANNER_EMAIL)

    assert refused.status_code == 429  # type: ignore[attr-defined]
    page = refused.content.decode()  # type: ignore[attr-defined]
    assert f"ขอลิงก์ตั้งรหัสผ่านใหม่ไปที่ &quot;{PLANNER_EMAIL}&quot; ครบ 3 ครั้งในหนึ่งชั่วโมงแล้ว" in page
    assert "รออีกประมาณ 60 นาทีแล้วขอใหม่" in page
    assert f'value="{PLANNER_EMAIL}"' in page  # what was typed stays in the box
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_EMAIL
    # Another address from the same machine is still served.
    assert ask_for_reset(client, "reporter@demo.tidtam.invalid").status_code == 302  # type: ignore[attr-defined]


@override_settings(PASSWORD_RESET_PER_IP=4)
def test_password_reset_refuses_one_client_that_asks_for_many_addresses(client: Client) -> None:
    for n in range(4):
        assert ask_for_reset(client, f"someone{n}@example.invalid").status_code == 302  # type: ignore[attr-defined]

    refused = ask_for_reset(client, "someone-else@example.invalid")

    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert "จากเครื่องนี้หรือเครือข่ายเดียวกันครบ 4 ครั้งในหนึ่งชั่วโมงแล้ว" in refused.content.decode()  # type: ignore[attr-defined]
    # Another client is not held back by this one.
    assert ask_for_reset(client, PLANNER_EMAIL, address="10.0.0.2").status_code == 302  # type: ignore[attr-defined]
