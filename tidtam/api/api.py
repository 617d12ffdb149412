"""The REST API, /api/v1/: its routers, its authentication and its errors in one place.

The schema is at /api/v1/openapi.json and the docs at /api/docs. Each resource's endpoints live
in their own module (organizations, plans, entries, agreements, budgets, documents).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger, _csrf_needed
from ninja.renderers import JSONRenderer

from tidtam.api import agreements, budgets, documents, entries, errors, organizations, plans
from tidtam.api.auth import SessionReadAuth, TokenAuth

DESCRIPTION = """\
**ติดตาม (tidtam) REST API** — แผน โครงการ ผลการดำเนินงานรายรอบ ตัวชี้วัดและคำรับรอง
งบประมาณ และเอกสาร ของหน่วยงานที่บัญชีของคุณเห็น ตามสิทธิ์เดียวกับหน้าเว็บ

- ยืนยันตัวตนด้วยโทเค็น API ส่วนตัว: `Authorization: Bearer <โทเค็น>` (สร้าง ยกเลิก
  และกำหนดวันหมดอายุได้ที่หน้า "โทเค็น API" ของคุณ) โทเค็น "อ่านอย่างเดียว" บันทึกข้อมูลไม่ได้
- รายการที่อยู่นอกสิทธิ์ของคุณตอบ 404 เหมือนไม่มีอยู่
- การบันทึกส่ง `version` ที่อ่านมา ถ้ามีผู้อื่นแก้ไขหลังจากนั้นจะถูกปฏิเสธด้วย 409
- ข้อผิดพลาดทุกข้อเป็น JSON `{"code", "message", "details"}` โดย `message` เป็นภาษาไทย
- จำนวนคำขอต่อโทเค็นมีจำกัด เกินแล้วตอบ 429 พร้อมหัว `Retry-After`

**tidtam REST API** — plans, work items, progress entries, KPIs and agreements, budgets and
documents of the organisations your account reads, under the same access policy as the pages.
Authenticate with a personal token (`Authorization: Bearer <token>`); read-scope tokens cannot
write. Objects outside your reach answer 404. Writes carry the `version` you read; a stale write
is refused with 409. Every error is JSON with a `code` and a Thai `message`. Requests are rate
limited per token (429 with `Retry-After`). Lists are paged with `limit` and `offset` and
filtered by `org` (organisation code), `fy` (Buddhist-Era fiscal year) and `round` (months).
"""


class ThaiJSONRenderer(JSONRenderer):
    """UTF-8 JSON: Thai stays readable (not \\u escapes) in every answer."""

    json_dumps_params = {"ensure_ascii": False}


class LocalDocs(Swagger):
    """ninja's Swagger UI page, its template and scripts served from this site (config/settings.py
    puts ninja's templates and static files beside ours). ninja itself would use them only when
    "ninja" is in INSTALLED_APPS, and otherwise loads the scripts from a CDN, which the CSP
    refuses."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)


api = NinjaAPI(
    renderer=ThaiJSONRenderer(),
    title="ติดตาม (tidtam) API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/v1/openapi.json",
    docs_url="/docs",
    docs=LocalDocs(),
    auth=[TokenAuth(), SessionReadAuth()],
)
errors.install(api)

for module in (organizations, plans, entries, agreements, budgets, documents):
    api.add_router("/v1/", module.router)
