"""`tidtam prepare_dashboards`: every organisation's dashboard made ahead for the day (run it
nightly, as tidtam-daily does), so that no one's first visit of the day waits for a ministry's
thousands of budget lines and hundreds of KPIs to be read."""

from __future__ import annotations

import time
from typing import Any

from tidtam.commands import DataCommand
from tidtam.dashboard.selectors import prepare_day
from tidtam.domain.thai import format_date_long
from tidtam.periods.clock import today


class Command(DataCommand):
    help = (
        "เตรียมภาพรวม (/dashboard/) ของทุกหน่วยงานไว้ล่วงหน้าสำหรับวันนี้: กราฟงบประมาณของทุกหน่วยงาน"
        " และตารางตัวชี้วัดของทุกหน่วยงานรวมหน่วยงานในสังกัด — ให้ตัวตั้งเวลาเรียกวันละครั้ง"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        day = today()
        start = time.perf_counter()
        prepared = prepare_day(day)
        if not prepared.organizations:
            self.stdout.write(f"วันที่ {format_date_long(day)}: ยังไม่มีหน่วยงานที่มีปีงบประมาณและรอบรายงาน")
            return
        self.stdout.write(
            f"เตรียมภาพรวมของวันที่ {format_date_long(day)} แล้ว: {' และ '.join(prepared.rounds)},"
            f" {prepared.organizations:,} หน่วยงาน (กราฟงบประมาณ และตารางตัวชี้วัด"
            f" {prepared.kpi_tables:,} ชุด) ใน {time.perf_counter() - start:.1f} วินาที"
        )
