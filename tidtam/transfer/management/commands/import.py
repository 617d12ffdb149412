"""`tidtam import FILE.xlsx [--apply]`: read a template (or a plain sheet in the seed documents'
layout, with --org, --fy and --round), print what would be added, changed and left alone and
every problem by sheet and row; with --apply, write it all in one transaction, or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from tidtam.commands import DataCommand
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for

SHOWN_ROWS = 50


class Command(DataCommand):
    help = "นำเข้าไฟล์ Excel: แสดงตัวอย่างสิ่งที่จะเพิ่ม แก้ และคงไว้ (--apply เพื่อบันทึกทั้งหมด)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="ไฟล์ .xlsx")
        parser.add_argument("--apply", action="store_true", help="บันทึกเมื่อไม่มีปัญหา")
        parser.add_argument("--org", help="รหัสหน่วยงาน (ตารางตามรูปแบบเอกสาร)")
        parser.add_argument("--fy", type=int, help="ปีงบประมาณ พ.ศ. (ตารางตามรูปแบบเอกสาร)")
        parser.add_argument("--round", type=int, help="รอบ 3, 6, 9 หรือ 12 เดือน")

    def handle(self, *args: Any, **options: Any) -> None:
        from tidtam.transfer import services
        from tidtam.transfer.engine import Meta

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        given = None
        if options["org"] and options["fy"]:
            given = Meta("", options["org"], options["fy"], options["round"])
        try:
            imported = services.read(path.read_bytes(), file_name=path.name, given=given)
            problems = services.apply(imported) if options["apply"] else services.preview(imported)
        except DomainError as error:
            raise CommandError(message_for(error)) from error
        counts = imported.counts()
        self.stdout.write(imported.title)
        self.stdout.write(
            f"เพิ่ม {counts['add']:,} แก้ไข {counts['change']:,} คงเดิม {counts['same']:,} รายการ"
        )
        shown = [c for c in imported.changes if c.action != "same"][:SHOWN_ROWS]
        for change in shown:
            verb = "เพิ่ม" if change.action == "add" else "แก้ไข"
            details = "; ".join(f"{label}: {old} → {new}" for label, old, new in change.fields)
            self.stdout.write(f"  แถว {change.row} {verb} {change.label} — {details}")
        if problems:
            for problem in problems:
                where = f"แผ่นงาน {problem.sheet}" + (f" แถว {problem.row}" if problem.row else "")
                if problem.column:
                    where += f" คอลัมน์ {problem.column}"
                self.stderr.write(f"{where}: {problem.message}")
            raise CommandError(f"มีปัญหา {len(problems):,} รายการ — ไม่ได้บันทึกอะไรเลย แก้ไฟล์แล้วนำเข้าใหม่")
        if options["apply"]:
            self.stdout.write("บันทึกแล้วทั้งหมด")
        else:
            self.stdout.write("ยังไม่ได้บันทึก — ตรวจแล้วไม่มีปัญหา ใช้ --apply เพื่อบันทึก")
