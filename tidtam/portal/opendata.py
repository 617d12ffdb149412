"""The open data of a published document: its JSON is the document's typed content (its schema:
`tidtam report DOC --schema`); its CSV is its main table, one row per project or budget line
(docs/open-data.md names the columns)."""

from __future__ import annotations

import csv
import io
from typing import Any

PLAN_COLUMNS = (
    "ผลผลิต / กิจกรรม",
    "ลำดับ",
    "ประเภท",
    "โครงการ / รายการ",
    "เป้าหมาย",
    "หน่วยงานที่รับผิดชอบ",
    "งบประมาณ (บาท)",
    "ช่วงเวลาดำเนินการ",
)
BUDGET_COLUMNS = (
    "ลำดับ",
    "รายการงบประมาณ",
    "งบประมาณ (บาท)",
    "เบิกจ่าย (บาท)",
    "ก่อหนี้ผูกพัน (บาท)",
    "ใช้จ่าย (บาท)",
    "ร้อยละการเบิกจ่าย",
    "ร้อยละการใช้จ่าย",
)


def rows(content: dict[str, Any]) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The document's main table: the plan's projects, or a round report's budget lines."""
    if content["document"] == "ita-plan":
        return PLAN_COLUMNS, [
            [
                group["label"],
                item["number"],
                item["kind"],
                item["name"],
                item["target"],
                item["units"],
                item["budget_baht"] if item["budget_baht"] is not None else "",
                item["timing_text"],
            ]
            for group in content["groups"]
            for item in group["items"]
        ]
    return BUDGET_COLUMNS, [
        [
            line.get("number", ""),
            line.get("name", ""),
            line.get("plan_baht", ""),
            line.get("disbursed_baht", ""),
            line.get("committed_baht", ""),
            line.get("spent_baht", ""),
            line.get("percent_disbursed_text", ""),
            line.get("percent_text", ""),
        ]
        for line in content["budget"]["lines"]
    ]


def as_csv(content: dict[str, Any]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Thai text right."""
    out = io.StringIO()
    writer = csv.writer(out)
    columns, data = rows(content)
    writer.writerow(columns)
    writer.writerows(data)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
