"""Whatever a client sends, the API answers with JSON: the code, the Thai message, and details
where they help; never a 500. And each token has its request budget (429 with Retry-After)."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

from tests.app.api_helpers import Api, as_, token_for
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def an_entry() -> ProgressEntry:
    entry = (
        ProgressEntry.objects.filter(work_item__plan__organization__code="onesqa")
        .order_by("pk")
        .first()
    )
    assert entry is not None
    return entry


def test_a_body_that_is_not_json_is_400_in_thai() -> None:
    api = as_("reporter")
    entry = an_entry()
    response = api.client.put(
        f"/api/v1/work-items/{entry.work_item_id}/rounds/{entry.round_id}/entry",
        "{not json",
        content_type="application/json",
        **api.headers,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "api_bad_json"
    assert response.json()["message"].startswith("เนื้อหาของคำขอไม่ใช่ JSON ที่อ่านได้")


def test_wrong_fields_are_422_naming_each_field_in_thai() -> None:
    entry = an_entry()
    response = as_("reporter").put(
        f"/work-items/{entry.work_item_id}/rounds/{entry.round_id}/entry",
        {"result_quantity": "สิบ", "result_text": "x" * 5001, "entered": "บางที"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "api_invalid_input"
    assert {(d["field"], d["message"]) for d in body["details"]} == {
        ("body.data.version", "ต้องมีค่า"),
        ("body.data.result_text", "ยาวเกิน 5000 ตัวอักษร"),
        ("body.data.result_quantity", "ต้องเป็นตัวเลข"),
        ("body.data.entered", "ต้องเป็น true หรือ false"),
    }
    assert body["message"].startswith("ข้อมูลที่ส่งมาไม่ถูกต้อง: body.data.")
    assert body["message"].endswith("— แก้ตามที่ระบุแล้วส่งใหม่")


def test_nul_characters_and_numbers_beyond_the_columns_are_refused_not_stored() -> None:
    entry = an_entry()
    path = f"/work-items/{entry.work_item_id}/rounds/{entry.round_id}/entry"
    api = as_("reporter")
    nul = api.put(path, {"version": entry.version, "result_text": "ผล\x00"})
    assert nul.status_code == 422
    assert nul.json()["details"][0]["field"] == "body.data.result_text"
    huge = api.put(path, {"version": entry.version, "result_quantity": "1e30"})
    assert huge.status_code == 422
    assert "หลัก" in huge.json()["details"][0]["message"]
    entry.refresh_from_db()
    assert "\x00" not in entry.result_text


def test_ids_beyond_the_database_and_unknown_paths_are_not_found_in_json() -> None:
    api = as_("planner")
    huge = api.get(f"/work-items/{2**70}")
    assert (huge.status_code, huge.json()["code"]) == (404, "api_not_found")
    negative = api.get("/entries/-5")
    assert negative.status_code == 404
    wrong_kind = api.get("/entries/abc")
    assert (wrong_kind.status_code, wrong_kind.json()["code"]) == (422, "api_invalid_input")
    assert wrong_kind.json()["details"][0] == {
        "field": "path.entry_id",
        "type": "int_parsing",
        "message": "ต้องเป็นจำนวนเต็ม",
    }


def test_a_path_under_api_that_names_no_endpoint_is_a_json_404() -> None:
    response = as_("planner").client.get("/api/v2/plans")
    assert response.status_code == 404
    assert response.json()["code"] == "api_not_found"
    assert response.json()["message"].startswith("ไม่พบที่อยู่ API นี้ที่ขอ")


def test_a_nul_in_the_query_string_is_refused_in_json_before_any_view() -> None:
    response = as_("planner").client.get("/api/v1/plans?org=a%00b")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "null_character"


def test_a_token_past_its_request_budget_gets_429_with_retry_after() -> None:
    secret = token_for("reporter", scope="read")
    other = Api(token_for("planner", scope="read"))
    api = Api(secret)
    with override_settings(API_RATE_LIMIT=3, API_RATE_WINDOW_SECONDS=60):
        assert [api.get("/plans").status_code for _ in range(3)] == [200, 200, 200]
        refused = api.get("/plans")
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 60
        assert refused.json()["code"] == "api_rate_limited"
        assert refused.json()["message"].startswith("ส่งคำขอเกิน 3 ครั้งใน 60 วินาที — รอ ")
        # The budget is the token's: another person's token is not held up.
        assert other.get("/plans").status_code == 200


def test_the_schema_and_the_docs_are_public_and_bilingual() -> None:
    api = Api(None)
    schema = api.client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "ติดตาม (tidtam) API"
    assert "Authenticate with a personal token" in schema["info"]["description"]
    assert "ยืนยันตัวตนด้วยโทเค็น API ส่วนตัว" in schema["info"]["description"]
    assert "/api/v1/work-items/{item_id}/rounds/{round_id}/entry" in schema["paths"]
    put = schema["paths"]["/api/v1/work-items/{item_id}/rounds/{round_id}/entry"]["put"]
    assert {"200", "401", "403", "404", "409", "422", "429"} <= set(put["responses"])
    docs = api.client.get("/api/docs")
    assert docs.status_code == 200 and "swagger" in docs.content.decode().lower()
    # Its scripts and styles come from this site (the CSP allows no other), never a CDN.
    page = docs.content.decode()
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert f'"/static/{asset}"' in page, asset
        assert finders.find(asset), asset
    assert "cdn" not in page.lower()
    assert WorkItem.objects.exists()


def test_a_body_past_the_size_limit_is_413_in_json_and_nothing_is_saved() -> None:
    """A JSON body is not parsed into a form, so Django's size limit was met only inside the
    endpoint, as a 500 with a traceback: it is refused before any view now."""
    api = as_("reporter")
    entry = an_entry()
    before = (entry.version, entry.result_text)
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = api.client.put(
            f"/api/v1/work-items/{entry.work_item_id}/rounds/{entry.round_id}/entry",
            f'{{"version": {entry.version}, "result_text": "{"ก" * 2000}"}}',
            content_type="application/json",
            **api.headers,
        )
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "api_body_too_big"
    assert body["message"].startswith("เนื้อหาของคำขอมีขนาด 6 KB เกินที่รับได้ต่อคำขอ (1 KB)")
    entry.refresh_from_db()
    assert (entry.version, entry.result_text) == before


def test_a_method_an_endpoint_does_not_take_is_405_in_json_with_the_allowed_ones() -> None:
    entry = an_entry()
    api = as_("reporter")
    response = api.client.delete(
        f"/api/v1/work-items/{entry.work_item_id}/rounds/{entry.round_id}/entry", **api.headers
    )
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "PUT"}
    body = response.json()
    assert body["code"] == "api_method_not_allowed"
    assert body["message"].startswith("คำขอแบบ DELETE ใช้กับที่อยู่นี้ไม่ได้ — ที่อยู่นี้รับเฉพาะ")
