"""`tidtam backup -o FILE`: the database and the evidence and rendered files in one checked archive."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from tidtam.commands import DataCommand
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.ops.backup import VENDOR_LABELS, backup


class Command(DataCommand):
    help = (
        "สำรองฐานข้อมูล (pg_dump หรือ SQLite backup) ไฟล์หลักฐาน และไฟล์เอกสารที่จัดทำ ไว้ในไฟล์ tar ไฟล์เดียว"
        " พร้อมค่าตรวจสอบ sha256 ของทุกไฟล์ เช่น tidtam backup -o tidtam-2567-04-15.tar"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="ไฟล์สำรองที่จะเขียน (ต้องยังไม่มี)")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if output.exists():
            raise CommandError(
                f'มีไฟล์ "{output}" อยู่แล้ว จึงไม่เขียนทับ — ตั้งชื่อไฟล์สำรองใหม่ หรือย้ายไฟล์เดิมออกก่อน'
            )
        if not output.parent.is_dir():
            raise CommandError(
                f'ไม่มีโฟลเดอร์ "{output.parent}" — สร้างโฟลเดอร์ก่อน หรือระบุที่อยู่ไฟล์ในโฟลเดอร์ที่มีอยู่'
            )
        try:
            summary = backup(output)
        except DomainError as error:
            raise CommandError(message_for(error)) from error
        self.stdout.write(
            f"สำรองแล้ว: ฐานข้อมูล {VENDOR_LABELS.get(summary.vendor, summary.vendor)}"
            f" ไฟล์หลักฐาน {summary.evidence_files} ไฟล์ ไฟล์เอกสาร {summary.media_files} ไฟล์"
            f" → {summary.path} ({summary.size:,} ไบต์)"
        )
