"""`tidtam report quarterly|agreement …`: a document's complete computed content."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.reports.agreement import agreement_report
from tidtam.reports.quarterly import quarterly_report
from tidtam.reports.render import to_json


class Command(BaseCommand):
    help = "พิมพ์ข้อมูลรายงาน (ทุกตาราง ตัวเลข และข้อความที่คำนวณแล้ว) เช่น tidtam report quarterly --org onesqa --fy 2567 --round 6 --format json"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("document", choices=["quarterly", "agreement"], help="ชนิดเอกสาร")
        parser.add_argument("--org", required=True, help="รหัสหน่วยงาน เช่น onesqa")
        parser.add_argument("--fy", required=True, type=int, help="ปีงบประมาณ (พ.ศ.) เช่น 2567")
        parser.add_argument("--round", type=int, default=12, help="รอบ 3, 6, 9 หรือ 12 เดือน")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("-o", "--output", help="ไฟล์ที่จะเขียน (ไม่ระบุ = พิมพ์ออกหน้าจอ)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["document"] == "quarterly":
                data = quarterly_report(options["org"], options["fy"], options["round"])
            else:
                data = agreement_report(options["org"], options["fy"])
        except DomainError as error:
            raise CommandError(message_for(error)) from error
        text = to_json(data)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
