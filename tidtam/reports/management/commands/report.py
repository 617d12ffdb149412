"""`tidtam report <document> --org … --fy … [--round …] --format docx|xlsx|pdf|html|json [-o FILE]`."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.reports.documents import DOCUMENTS, FORMATS, document, filename
from tidtam.reports.render import render

BINARY = ("docx", "xlsx", "pdf")


class Command(BaseCommand):
    help = (
        "จัดทำเอกสารจากข้อมูลในระบบ เช่น tidtam report quarterly --org onesqa --fy 2567 --round 6 "
        "--format docx -o รายงาน.docx (เอกสาร: " + ", ".join(DOCUMENTS) + ")"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("document", choices=list(DOCUMENTS), help="ชนิดเอกสาร")
        parser.add_argument("--org", required=True, help="รหัสหน่วยงาน เช่น onesqa")
        parser.add_argument("--fy", required=True, type=int, help="ปีงบประมาณ (พ.ศ.) เช่น 2567")
        parser.add_argument("--round", type=int, default=12, help="รอบ 3, 6, 9 หรือ 12 เดือน")
        parser.add_argument("--format", choices=FORMATS, default="json", help="รูปแบบไฟล์")
        parser.add_argument(
            "-o",
            "--output",
            help="ไฟล์ที่จะเขียน (ไม่ระบุ: json และ html พิมพ์ออกหน้าจอ ไฟล์อื่นตั้งชื่อให้ในโฟลเดอร์นี้)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        try:
            data = document(options["document"]).data(
                options["org"], options["fy"], options["round"]
            )
            content = render(data, fmt)
        except DomainError as error:
            raise CommandError(message_for(error)) from error
        output = options["output"]
        if output is None and fmt not in BINARY:
            self.stdout.write(content.decode())
            return
        path = Path(output or filename(data, fmt))
        if output == "-":
            sys.stdout.buffer.write(content)
            return
        path.write_bytes(content)
        self.stderr.write(f"เขียนไฟล์ {path} แล้ว ({len(content):,} ไบต์)")
