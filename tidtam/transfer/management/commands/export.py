"""`tidtam export plan|results|spending --org CODE --fy YEAR [--round N] -o FILE.xlsx`: a
template workbook keyed by stable keys (tidtam.transfer), to fill in and import again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from tidtam.commands import DataCommand
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for


class Command(DataCommand):
    help = "ส่งออกแบบฟอร์ม Excel ตามรหัสอ้างอิง: plan (แผน), results (ผลรายรอบ), spending (เบิกจ่ายรายเดือน), agreement (คำรับรองและตัวชี้วัด)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", help="สิ่งที่ส่งออก: plan, results, spending หรือ agreement")
        parser.add_argument("--org", required=True, help="รหัสหน่วยงาน เช่น onesqa")
        parser.add_argument("--fy", type=int, required=True, help="ปีงบประมาณ พ.ศ. เช่น 2567")
        parser.add_argument("--round", type=int, help="รอบ 3, 6, 9 หรือ 12 เดือน (สำหรับ results)")
        parser.add_argument("-o", "--output", required=True, help="ไฟล์ .xlsx ที่จะเขียน")

    def handle(self, *args: Any, **options: Any) -> None:
        from tidtam.transfer.services import export

        try:
            data = export(options["what"], options["org"], options["fy"], options["round"])
        except DomainError as error:
            raise CommandError(message_for(error)) from error
        target = Path(options["output"])
        target.write_bytes(data)
        self.stdout.write(f"เขียน {target} แล้ว ({len(data):,} ไบต์)")
