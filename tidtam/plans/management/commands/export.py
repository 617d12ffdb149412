"""`tidtam export plan --org CODE --fy YEAR -o FILE.xlsx`: the plan as an Excel workbook keyed
by stable keys (tidtam.plans.export)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import check_be_year
from tidtam.messages import message_for

KINDS = ("plan",)


class Command(BaseCommand):
    help = "ส่งออกข้อมูลเป็นไฟล์ Excel ตามรหัสอ้างอิง (ตอนนี้: plan แผนปฏิบัติราชการ)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", help="สิ่งที่ส่งออก: plan")
        parser.add_argument("--org", required=True, help="รหัสหน่วยงาน เช่น onesqa")
        parser.add_argument("--fy", type=int, required=True, help="ปีงบประมาณ พ.ศ. เช่น 2567")
        parser.add_argument("-o", "--output", required=True, help="ไฟล์ .xlsx ที่จะเขียน")

    def handle(self, *args: Any, **options: Any) -> None:
        from tidtam.plans.export import plan_workbook

        if options["what"] not in KINDS:
            raise CommandError(f'ส่งออก "{options["what"]}" ไม่ได้ — ตอนนี้ส่งออกได้: {", ".join(KINDS)}')
        try:
            check_be_year(options["fy"], field="ปีงบประมาณ")
            data = plan_workbook(options["org"], options["fy"])
        except DomainError as error:
            raise CommandError(message_for(error)) from error
        target = Path(options["output"])
        target.write_bytes(data)
        self.stdout.write(f"เขียน {target} แล้ว ({len(data):,} ไบต์)")
