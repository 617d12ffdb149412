"""`tidtam report <document> --org … --fy … [--round …] [--subtree] --format docx|xlsx|pdf|html|json
[-o FILE]`, and `tidtam report <document> --schema`: the JSON Schema of the document's JSON."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from tidtam.commands import DataCommand
from tidtam.domain.errors import DomainError
from tidtam.domain.thai import parse_be_date
from tidtam.messages import message_for
from tidtam.reports.content import json_schema
from tidtam.reports.documents import DOCUMENTS, FORMATS, document, filename
from tidtam.reports.render import render

BINARY = ("docx", "xlsx", "pdf")


class Command(DataCommand):
    help = (
        "จัดทำเอกสารจากข้อมูลในระบบ เช่น tidtam report quarterly --org onesqa --fy 2567 --round 6 "
        "--format docx -o รายงาน.docx (เอกสาร: " + ", ".join(DOCUMENTS) + ")"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("document", choices=list(DOCUMENTS), help="ชนิดเอกสาร")
        parser.add_argument("--org", help="รหัสหน่วยงาน เช่น onesqa")
        parser.add_argument("--fy", type=int, help="ปีงบประมาณ (พ.ศ.) เช่น 2567")
        parser.add_argument("--round", type=int, default=12, help="รอบ 3, 6, 9 หรือ 12 เดือน")
        parser.add_argument("--format", choices=FORMATS, default="json", help="รูปแบบไฟล์")
        parser.add_argument(
            "--as-of",
            help="งบประมาณ ณ วันที่ (พ.ศ. เช่น 15/03/2567) ภายในรอบ: รายงานรายไตรมาส",
        )
        parser.add_argument(
            "--subtree",
            action="store_true",
            help=(
                "รวมหน่วยงานในสังกัด: รายการของทุกแผนของหน่วยงานและหน่วยงานที่อยู่ใต้หน่วยงานนั้น"
                " แต่ละแถวบอกชื่อหน่วยงาน (รายงานรายไตรมาส และเอกสาร ITA)"
            ),
        )
        parser.add_argument(
            "-o",
            "--output",
            help="ไฟล์ที่จะเขียน (ไม่ระบุ: json และ html พิมพ์ออกหน้าจอ ไฟล์อื่นตั้งชื่อให้ในโฟลเดอร์นี้)",
        )

        parser.add_argument(
            "--schema",
            action="store_true",
            help="พิมพ์ JSON Schema ของข้อมูลเอกสาร (โครงสร้างที่ --format json ให้) แล้วจบ",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schema"]:
            schema = json_schema(options["document"])
            self.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2))
            return
        missing = [flag for flag in ("org", "fy") if options[flag] is None]
        if missing:
            raise CommandError(
                "ต้องระบุ "
                + " และ ".join(f"--{flag}" for flag in missing)
                + " เช่น --org onesqa --fy 2567 (หรือ --schema เพื่อดูโครงสร้างข้อมูล)"
            )
        fmt = options["format"]
        try:
            doc = document(options["document"])
            doc.check_format(fmt)
            as_of = parse_be_date(options["as_of"], field="--as-of") if options["as_of"] else None
            report = doc.content(
                options["org"],
                options["fy"],
                options["round"],
                as_of=as_of,
                subtree=options["subtree"],
            )
            content = render(report, fmt)
        except DomainError as error:
            raise CommandError(message_for(error)) from error
        output = options["output"]
        if output is None and fmt not in BINARY:
            self.stdout.write(content.decode())
            return
        path = Path(output or filename(report, fmt))
        if output == "-":
            sys.stdout.buffer.write(content)
            return
        path.write_bytes(content)
        self.stderr.write(f"เขียนไฟล์ {path} แล้ว ({len(content):,} ไบต์)")
