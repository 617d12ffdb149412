"""`tidtam generate`: a deterministic national-scale dataset for load tests and benchmarks."""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import CommandError

from tidtam.commands import DataCommand
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.seeds.generate import GeneratedDataExists, Scale, generate

DEFAULTS = Scale()


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ArgumentTypeError(f'"{text}" ไม่ใช่จำนวนเต็ม — ให้กรอกเป็นตัวเลข เช่น 1000') from None
    if value < 0:
        raise ArgumentTypeError(f"{value} ติดลบ — ให้กรอกจำนวนตั้งแต่ 0 ขึ้นไป")
    return value


class Command(DataCommand):
    help = (
        "สร้างข้อมูลจำลองระดับประเทศ (กระทรวง → กรม → สำนัก รหัส gen-…) พร้อมแผนปฏิบัติราชการ "
        "ผลการดำเนินงานทั้ง 4 รอบ ตัวชี้วัด คำรับรอง และงบประมาณ สำหรับทดสอบและวัดความเร็ว "
        "ค่า --seed เดียวกันได้ข้อมูลเดียวกันทุกครั้ง"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--organizations", type=_count, default=DEFAULTS.organizations, help="จำนวนหน่วยงาน"
        )
        parser.add_argument(
            "--work-items",
            type=_count,
            default=DEFAULTS.work_items,
            help="จำนวนโครงการ/แผนงาน/รายการ",
        )
        parser.add_argument("--kpis", type=_count, default=DEFAULTS.kpis, help="จำนวนตัวชี้วัด")
        parser.add_argument(
            "--budget-lines", type=_count, default=DEFAULTS.budget_lines, help="จำนวนรายการงบประมาณ"
        )
        parser.add_argument("--fy", type=int, default=2567, help="ปีงบประมาณ (พ.ศ.)")
        parser.add_argument("--seed", type=int, default=1, help="เลขตั้งต้นของการสุ่ม")
        parser.add_argument(
            "--replace", action="store_true", help="ลบข้อมูลจำลองของปีงบประมาณนี้ก่อนแล้วสร้างใหม่"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["organizations"] < 1:
            raise CommandError("--organizations ต้องมีอย่างน้อย 1 หน่วยงาน")
        scale = Scale(
            organizations=options["organizations"],
            work_items=options["work_items"],
            kpis=options["kpis"],
            budget_lines=options["budget_lines"],
        )
        try:
            summary = generate(
                fiscal_year=options["fy"],
                scale=scale,
                seed=options["seed"],
                replace=options["replace"],
            )
        except GeneratedDataExists as error:
            raise CommandError(str(error)) from error
        except DomainError as error:
            raise CommandError(message_for(error)) from error
        for line in summary.lines():
            self.stdout.write(line)
