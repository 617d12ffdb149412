"""Signing in, being locked out, resetting a password, sessions that end, and the Thai error pages.

Everything goes through HTTP with the test client, so django-axes sees each sign-in the way it sees
a browser's (client.force_login would bypass it).
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

import config.urls
from tests.app.conftest import CAST_PASSWORD, signed_in
from tidtam.ui.permissions import READ_ONLY_MESSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

WRONG = "not-the-password"
NEW_PASSWORD = "ฟ้าใส-2567-ใหม่"
WRONG_PASSWORD_MESSAGE = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
LOCKED_OUT_HEADING = "บัญชีถูกล็อกชั่วคราว"
PLANNER_EMAIL = "planner@demo.tidtam.invalid"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any, cast: None) -> None:
    """The cast's passwords re-hashed with a fast hasher (rolled back with the test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for user in User.objects.filter(username__in=["planner", "reporter"]):
        user.set_password(CAST_PASSWORD)
        user.save()


def sign_in(client: Client, username: str, password: str = CAST_PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def heading(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert match, page
    return match.group(1).strip()


def signed_in_page(client: Client) -> bool:
    """Whether the client's session opens "my work" (instead of being sent to the login page)."""
    return client.get(reverse("progress:my_work")).status_code == 200


def lock_out(client: Client, username: str) -> list[Any]:
    return [sign_in(client, username, WRONG) for _ in range(5)]


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def about(when: datetime, expected: datetime) -> bool:
    return abs((when - expected).total_seconds()) < 60


# --- the login page -------------------------------------------------------------------------


def test_the_login_page_is_thai_and_links_to_the_forgotten_password_page(client: Client) -> None:
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in page
    assert heading(page) == "เข้าสู่ระบบ"
    assert 'for="id_username">ชื่อผู้ใช้' in page and 'for="id_password">รหัสผ่าน' in page
    assert 'class="form-control"' in page
    assert f'<a href="{reverse("password_reset")}">ลืมรหัสผ่าน</a>' in page


def test_the_right_password_signs_in_and_lands_on_my_work(client: Client) -> None:
    response = sign_in(client, "planner")
    assert response.status_code == 302
    assert response["Location"] == reverse("root") == "/"
    assert client.get("/")["Location"] == reverse("progress:my_work") == "/work/"
    assert signed_in_page(client)


def test_an_executive_lands_on_the_dashboard(client: Client) -> None:
    assert sign_in(client, "executive")["Location"] == "/"
    assert client.get("/")["Location"] == reverse("dashboard:home") == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_a_wrong_password_is_refused_in_thai_and_the_form_is_shown_again(client: Client) -> None:
    response = sign_in(client, "planner", WRONG)
    page = response.content.decode()
    assert response.status_code == 200
    assert WRONG_PASSWORD_MESSAGE in page
    assert 'name="username"' in page and 'value="planner"' in page
    assert not signed_in_page(client)


# --- lock-out (django-axes) -----------------------------------------------------------------


def test_five_wrong_passwords_lock_the_name_out_even_for_the_right_password(
    client: Client,
) -> None:
    first_four = lock_out(client, "planner")[:4]
    attempts = AccessAttempt.objects.get(username="planner")
    assert [r.status_code for r in first_four] == [200, 200, 200, 200]
    assert all(WRONG_PASSWORD_MESSAGE in r.content.decode() for r in first_four)
    assert attempts.failures_since_start == 5

    sixth = sign_in(client, "planner")
    page = sixth.content.decode()
    assert sixth.status_code == 429
    assert '<html lang="th">' in page
    assert heading(page) == LOCKED_OUT_HEADING
    assert "ใส่รหัสผ่านผิด 5 ครั้งติดต่อกัน" in page
    assert "30 นาที" in page
    assert f'href="{reverse("password_reset")}"' in page
    assert "ผู้ดูแลระบบ" in page
    assert not signed_in_page(client)


def test_the_fifth_wrong_password_already_shows_the_lock_out_page(client: Client) -> None:
    responses = lock_out(client, "planner")
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert heading(responses[-1].content.decode()) == LOCKED_OUT_HEADING


def test_the_lock_out_page_gives_the_configured_minutes(client: Client, settings: Any) -> None:
    settings.AXES_COOLOFF_TIME = 0.25
    lock_out(client, "planner")
    page = sign_in(client, "planner").content.decode()
    assert "15 นาที" in page and "30 นาที" not in page


def test_after_the_lock_out_time_the_right_password_signs_in_again(client: Client) -> None:
    lock_out(client, "planner")
    assert sign_in(client, "planner").status_code == 429
    AccessAttempt.objects.filter(username="planner").update(
        attempt_time=timezone.now() - timedelta(minutes=31)
    )
    response = sign_in(client, "planner")
    assert response.status_code == 302
    assert response["Location"] == reverse("root")


def test_trying_again_during_the_lock_out_restarts_its_clock(client: Client) -> None:
    lock_out(client, "planner")
    AccessAttempt.objects.filter(username="planner").update(
        attempt_time=timezone.now() - timedelta(minutes=20)
    )
    page = sign_in(client, "planner").content.decode()
    assert "ทุกครั้งที่ลองจะเริ่มนับเวลาใหม่" in page
    assert about(AccessAttempt.objects.get(username="planner").attempt_time, timezone.now())


def test_a_locked_out_name_does_not_lock_out_a_colleague_at_the_same_address(
    client: Client,
) -> None:
    lock_out(client, "planner")
    assert sign_in(client, "planner").status_code == 429

    colleague = Client()  # same REMOTE_ADDR (127.0.0.1) as the locked-out client
    response = sign_in(colleague, "reporter")
    assert response.status_code == 302
    assert response["Location"] == reverse("root")
    assert signed_in_page(colleague)


def test_a_right_password_before_the_limit_starts_the_count_again(client: Client) -> None:
    for _ in range(4):
        assert sign_in(client, "planner", WRONG).status_code == 200
    assert AccessAttempt.objects.get(username="planner").failures_since_start == 4

    assert sign_in(client, "planner").status_code == 302
    assert not AccessAttempt.objects.filter(username="planner").exists()
    client.post(reverse("logout"))

    for _ in range(4):
        assert sign_in(client, "planner", WRONG).status_code == 200
    response = sign_in(client, "planner")
    assert response.status_code == 302
    assert response["Location"] == reverse("root")


@pytest.mark.parametrize("turn", ["first", "second"])
def test_failed_sign_ins_are_rolled_back_with_their_test_so_no_lock_out_leaks(
    client: Client, turn: str
) -> None:
    """Run twice in a row: the second turn starts clean although the first locked planner out."""
    assert AccessAttempt.objects.count() == 0
    assert sign_in(Client(), "planner").status_code == 302
    lock_out(client, "planner")
    assert AccessAttempt.objects.get(username="planner").failures_since_start == 5
    assert sign_in(client, "planner").status_code == 429


# --- password reset by e-mail ---------------------------------------------------------------


def reset_link(message: Any) -> str:
    match = re.search(r"http://testserver(/accounts/reset/[\w-]+/[\w-]+/)", message.body)
    assert match, message.body
    return match.group(1)


def ask_for_reset(client: Client, email: str) -> Any:
    return client.post(reverse("password_reset"), {"email": email})


def test_the_password_reset_pages_are_thai(client: Client) -> None:
    page = client.get(reverse("password_reset")).content.decode()
    assert '<html lang="th">' in page
    assert heading(page) == "ลืมรหัสผ่าน"
    assert 'for="id_email">อีเมล' in page
    assert "ส่งลิงก์ตั้งรหัสผ่านใหม่" in page
    done = client.get(reverse("password_reset_done")).content.decode()
    assert heading(done) == "ตรวจสอบอีเมลของคุณ"
    complete = client.get(reverse("password_reset_complete")).content.decode()
    assert heading(complete) == "ตั้งรหัสผ่านใหม่เรียบร้อย"


def test_a_password_reset_mails_one_thai_link_that_sets_a_password_to_sign_in_with(
    client: Client,
) -> None:
    response = ask_for_reset(client, PLANNER_EMAIL)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [PLANNER_EMAIL]
    assert message.subject == "ตั้งรหัสผ่านใหม่สำหรับระบบติดตาม"
    assert message.body.startswith("เรียน นางสาววิภาวรรณ วางแผนดี\n")
    assert 'บัญชี "planner"' in message.body
    assert isinstance(message, EmailMultiAlternatives)
    assert message.alternatives == []  # plain text only, no HTML part
    link = reset_link(message)

    browser = Client()  # the link is opened from the mail, in a fresh browser
    opened = browser.get(link)
    assert opened.status_code == 302
    form_url = opened["Location"]
    assert form_url.endswith("/set-password/")
    form_page = browser.get(form_url).content.decode()
    assert heading(form_page) == "ตั้งรหัสผ่านใหม่"
    assert "<strong>planner</strong>" in form_page
    assert "ยาวอย่างน้อย 8 ตัวอักษร" in form_page

    saved = browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert saved.status_code == 302
    assert saved["Location"] == reverse("password_reset_complete")

    assert sign_in(Client(), "planner", CAST_PASSWORD).status_code == 200  # the old one is gone
    response = sign_in(client, "planner", NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("root")

    used_again = Client().get(link, follow=True).content.decode()
    assert heading(used_again) == "ลิงก์ตั้งรหัสผ่านใช้ไม่ได้"


def test_an_unknown_email_sends_nothing_and_shows_the_same_page(client: Client) -> None:
    known = ask_for_reset(client, PLANNER_EMAIL)
    unknown = ask_for_reset(client, "nobody@demo.tidtam.invalid")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [PLANNER_EMAIL]
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == reverse("password_reset_done")

    def without_token(page: str) -> str:
        return re.sub(r'"X-CSRFToken": "[^"]*"', "", page)

    first = client.get(known["Location"]).content.decode()
    second = client.get(unknown["Location"]).content.decode()
    assert without_token(first) == without_token(second)


def test_a_weak_or_mismatched_new_password_is_refused_in_thai(client: Client) -> None:
    ask_for_reset(client, PLANNER_EMAIL)
    form_url = client.get(reset_link(mail.outbox[0]))["Location"]

    weak = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    page = weak.content.decode()
    assert weak.status_code == 200
    assert "รหัสผ่านต้องไม่เป็นตัวเลขล้วน" in page
    assert "มีผู้ใช้กันมาก" in page
    assert "This password" not in page

    short = client.post(form_url, {"new_password1": "ฟ้าใส1", "new_password2": "ฟ้าใส1"})
    assert "ต้องยาวอย่างน้อย 8 ตัวอักษร" in short.content.decode()

    mismatch = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "อื่น"})
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in mismatch.content.decode()
    assert sign_in(Client(), "planner").status_code == 302  # the password is unchanged


def test_a_made_up_reset_link_shows_the_thai_invalid_link_page(client: Client) -> None:
    response = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-123"})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert heading(page) == "ลิงก์ตั้งรหัสผ่านใช้ไม่ได้"
    assert f'href="{reverse("password_reset")}"' in page


def test_a_signed_in_person_changes_their_password_in_thai(client: Client) -> None:
    sign_in(client, "planner")
    page = client.get(reverse("password_change")).content.decode()
    assert heading(page) == "เปลี่ยนรหัสผ่าน"
    assert 'for="id_old_password">รหัสผ่านเก่า' in page

    wrong_old = client.post(
        reverse("password_change"),
        {"old_password": WRONG, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "ใส่รหัสผ่านเก่าผิด" in wrong_old.content.decode()

    changed = client.post(
        reverse("password_change"),
        {
            "old_password": CAST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert changed["Location"] == reverse("password_change_done")
    assert heading(client.get(changed["Location"]).content.decode()) == "เปลี่ยนรหัสผ่านเรียบร้อย"
    assert signed_in_page(client)  # changing the password keeps this session
    assert sign_in(Client(), "planner", NEW_PASSWORD).status_code == 302


def test_changing_a_password_needs_a_signed_in_person(client: Client) -> None:
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('password_change')}"


# --- sessions -------------------------------------------------------------------------------


def test_a_session_lasts_the_configured_age_and_ends_with_the_browser(
    client: Client, settings: Any
) -> None:
    configured = int(os.environ.get("TIDTAM_SESSION_SECONDS", 8 * 3600))
    assert configured == settings.SESSION_COOKIE_AGE
    sign_in(client, "planner")
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert about(session_row(client).expire_date, expected)
    cookie = client.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # gone when the browser closes


def test_a_shorter_configured_age_is_what_a_new_session_gets(client: Client, settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 600
    sign_in(client, "planner")
    assert about(session_row(client).expire_date, timezone.now() + timedelta(minutes=10))


def test_a_request_pushes_the_expiry_forward(client: Client, settings: Any) -> None:
    # The session is written at most every SESSION_REFRESH_SECONDS (test_http_production.py
    # shows the interval); with 0 every request slides the expiry.
    settings.SESSION_REFRESH_SECONDS = 0
    sign_in(client, "planner")
    Session.objects.filter(pk=session_row(client).pk).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert signed_in_page(client)
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert about(session_row(client).expire_date, expected)


def test_an_expired_session_sends_the_person_back_to_the_login_page(client: Client) -> None:
    sign_in(client, "planner")
    assert signed_in_page(client)
    Session.objects.filter(pk=session_row(client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("progress:my_work"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/work/"
    assert heading(client.get(response["Location"]).content.decode()) == "เข้าสู่ระบบ"


def test_signing_out_takes_a_post_and_ends_the_session(client: Client) -> None:
    sign_in(client, "planner")
    key = client.cookies["sessionid"].value
    assert client.get(reverse("logout")).status_code == 405
    assert signed_in_page(client)

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not Session.objects.filter(session_key=key).exists()
    assert not signed_in_page(client)


# --- error pages ----------------------------------------------------------------------------


def refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(READ_ONLY_MESSAGE)


def refused_without_reason(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-refused/", refused),
    path("test-refused-without-reason/", refused_without_reason),
    path("test-broken/", broken),
    *config.urls.urlpatterns,
]


@pytest.mark.urls(__name__)
def test_a_refused_page_says_in_thai_why(client: Client) -> None:
    sign_in(client, "planner")
    response = client.get("/test-refused/")
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="th">' in page
    assert heading(page) == "ไม่มีสิทธิ์ทำรายการนี้"
    assert READ_ONLY_MESSAGE in page

    plain = client.get("/test-refused-without-reason/").content.decode()
    assert "บัญชีนี้ไม่มีสิทธิ์เปิดหน้านี้หรือทำขั้นตอนนี้" in plain


def test_a_missing_page_is_a_thai_404(client: Client) -> None:
    sign_in(client, "planner")
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="th">' in page
    assert heading(page) == "ไม่พบหน้าที่ต้องการ"
    assert "<code>/no-such-page/</code>" in page
    assert "Not Found" not in page


@pytest.mark.urls(__name__)
def test_a_server_error_is_a_thai_500() -> None:
    response = Client(raise_request_exception=False).get("/test-broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="th">' in page
    assert heading(page) == "ระบบขัดข้อง"
    assert "a bug" not in page


@pytest.mark.parametrize("how", ["form", "session"])
def test_each_page_loads_the_signed_in_person_with_their_user_in_one_query(how: str) -> None:
    """The session's user arrives with their person (tidtam.orgs.backends): the page's reach and
    the name in the menu read it without a query of their own, whether the session was made by
    the login form or is an older one of the run."""
    # (This module's fixture sets the reporter's password again, which ends the run's session
    # of theirs: the approver's is the older session.)
    username = "reporter" if how == "form" else "approver"
    if how == "form":
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": CAST_PASSWORD})
        assert response.status_code == 302
    else:
        client = signed_in(Client(), username)
    statements: list[str] = []

    def record(execute: Any, sql: str, *rest: Any) -> Any:
        statements.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(record):
        response = client.get(reverse("progress:my_work"))
    assert response.status_code == 200
    users = [sql for sql in statements if 'FROM "auth_user"' in sql]
    assert len(users) == 1 and '"orgs_person"' in users[0], users
    assert not [sql for sql in statements if sql.startswith('SELECT "orgs_person"')]
    # The person is the one signed in: their name is in the menu.
    person = User.objects.select_related("person").get(username=username).person
    assert person.full_name in response.content.decode()
