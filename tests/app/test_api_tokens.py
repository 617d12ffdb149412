"""Personal API tokens through the person's page and the API: the secret is shown once and only
its hash is kept; revoked and expired tokens, read scope, and browser sessions are refused in Thai."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.app.api_helpers import Api, token_for
from tests.app.conftest import signed_in
from tidtam.api.models import ApiToken
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

TOKEN = re.compile(r'id="new-token">(tidtam_[0-9a-f]{8}_[A-Za-z0-9_-]{43})<')


def make_on_page(client: Client, **form: str) -> tuple[int, str]:
    data = {"action": "create", "name": "ระบบรายงานของกอง", "scope": "read", "days": "30"}
    data.update(form)
    response = client.post(reverse("tokens:list"), data)
    found = TOKEN.search(response.content.decode())
    return response.status_code, found.group(1) if found else ""


def test_a_token_made_on_the_page_is_shown_once_and_only_its_hash_is_kept() -> None:
    page = signed_in(Client(), "reporter")
    assert page.get(reverse("tokens:list")).status_code == 200
    status, secret = make_on_page(page, name="ระบบรายงานของกอง", scope="write")
    assert status == 200 and secret

    token = ApiToken.objects.get(user__username="reporter")
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix + "_")
    stored = " ".join(
        str(v) for v in ApiToken.objects.filter(pk=token.pk).values().first().values()
    )
    assert secret not in stored
    assert (token.name, token.scope) == ("ระบบรายงานของกอง", "write")
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)

    again = page.get(reverse("tokens:list")).content.decode()
    assert secret not in again
    assert token.prefix in again and "อ่านและเขียน" in again and "ใช้งานได้" in again

    answer = Api(secret).get("/plans")
    assert answer.status_code == 200
    assert [plan["organization"] for plan in answer.json()["items"]] == ["onesqa"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused_with_a_thai_401() -> None:
    page = signed_in(Client(), "reporter")
    _, secret = make_on_page(page)
    token = ApiToken.objects.get(user__username="reporter")
    response = page.post(reverse("tokens:list"), {"action": "revoke", "token": str(token.pk)})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "ยกเลิกแล้ว" in page.get(reverse("tokens:list")).content.decode()

    refused = Api(secret).get("/plans")
    assert refused.status_code == 401
    body = refused.json()
    assert body["code"] == "api_token_revoked"
    assert body["message"].startswith(f"โทเค็น API {token.prefix} ถูกยกเลิกแล้วเมื่อ")


def test_nobody_revokes_another_persons_token() -> None:
    secret = token_for("planner")
    theirs = ApiToken.objects.get(user__username="planner")
    page = signed_in(Client(), "reporter")
    response = page.post(reverse("tokens:list"), {"action": "revoke", "token": str(theirs.pk)})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert Api(secret).get("/plans").status_code == 200


def test_an_expired_token_is_refused_and_a_lifetime_past_the_limit_is_not_made() -> None:
    secret = token_for("reporter", days=1)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    refused = Api(secret).get("/plans")
    assert refused.status_code == 401
    assert refused.json()["code"] == "api_token_expired"
    assert "หมดอายุแล้วเมื่อ" in refused.json()["message"]

    with override_settings(API_TOKEN_MAX_DAYS=90):
        status, secret = make_on_page(signed_in(Client(), "reporter"), days="91")
    assert (status, secret) == (400, "")
    assert ApiToken.objects.filter(user__username="reporter").count() == 1


def test_a_missing_or_unknown_token_and_a_deactivated_account_get_401_in_thai() -> None:
    missing = Api(None).get("/plans")
    assert missing.status_code == 401
    assert missing.json()["code"] == "api_token_missing"
    assert "Authorization: Bearer" in missing.json()["message"]

    unknown = Api("tidtam_00000000_" + "x" * 43).get("/plans")
    assert (unknown.status_code, unknown.json()["code"]) == (401, "api_token_unknown")

    secret = token_for("reporter")
    get_user_model().objects.filter(username="reporter").update(is_active=False)
    inactive = Api(secret).get("/plans")
    assert (inactive.status_code, inactive.json()["code"]) == (401, "api_account_inactive")


def test_a_read_token_reads_but_cannot_write() -> None:
    secret = token_for("reporter", scope="read")
    item = WorkItem.objects.filter(plan__organization__code="onesqa").order_by("pk").first()
    assert item is not None
    entry = ProgressEntry.objects.filter(work_item=item).first()
    assert entry is not None
    api = Api(secret)
    assert api.get(f"/entries/{entry.pk}").status_code == 200
    refused = api.put(
        f"/work-items/{item.pk}/rounds/{entry.round_id}/entry",
        {"version": entry.version, "result_text": "ไม่ควรถูกบันทึก"},
    )
    assert refused.status_code == 403
    prefix = ApiToken.objects.get(user__username="reporter").prefix
    assert refused.json() == {
        "code": "api_token_read_only",
        "message": f"โทเค็น API {prefix} มีสิทธิ์อ่านอย่างเดียว จึงบันทึกหรือเปลี่ยนข้อมูลไม่ได้ — "
        'สร้างโทเค็นที่มีสิทธิ์ "อ่านและเขียน" ที่หน้า "โทเค็น API" ของคุณ',
    }
    entry.refresh_from_db()
    assert entry.result_text != "ไม่ควรถูกบันทึก"
    refused = api.post(f"/entries/{entry.pk}/review", {"action": "submit"})
    assert refused.status_code == 403


def test_a_signed_in_browser_reads_the_api_but_writes_only_with_a_token() -> None:
    browser = signed_in(Client(), "planner")
    answer = browser.get("/api/v1/plans")
    assert answer.status_code == 200 and answer.json()["count"] == 1
    item = WorkItem.objects.filter(plan__organization__code="onesqa").order_by("pk").first()
    assert item is not None
    refused = browser.put(
        f"/api/v1/work-items/{item.pk}/rounds/1/entry",
        '{"version": 0}',
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "api_session_read_only"


def test_the_token_page_is_for_signed_in_people_only() -> None:
    response = Client().get(reverse("tokens:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
