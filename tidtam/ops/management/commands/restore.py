"""`tidtam restore FILE`: put a `tidtam backup` archive back into an empty database and folders."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from tidtam.commands import DataCommand
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.ops.backup import VENDOR_LABELS, restore


class Command(DataCommand):
    help = (
        "กู้คืนไฟล์สำรองจาก tidtam backup เข้าฐานข้อมูลที่ว่างเปล่า (ยังไม่ migrate) และโฟลเดอร์ไฟล์ที่ว่างเปล่า"
        " ตรวจค่า sha256 ของทุกไฟล์ก่อนเขียนสิ่งใด"
    )
    # The migration check would read the database this command is about to fill.
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="ไฟล์สำรองที่ได้จาก tidtam backup")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f'ไม่พบไฟล์สำรอง "{path}" — ตรวจชื่อและที่อยู่ของไฟล์')
        try:
            summary = restore(path)
        except DomainError as error:
            raise CommandError(message_for(error)) from error
        self.stdout.write(
            f"กู้คืนแล้ว: ฐานข้อมูล {VENDOR_LABELS.get(summary.vendor, summary.vendor)}"
            f" ไฟล์หลักฐาน {summary.evidence_files} ไฟล์ ไฟล์เอกสาร {summary.media_files} ไฟล์"
            f" (สำรองจาก tidtam {summary.tidtam_version}) ตรวจค่า sha256 ครบทุกไฟล์"
        )
        if summary.migrations_to_apply:
            self.stdout.write(
                f"tidtam รุ่นนี้มีการปรับโครงสร้างข้อมูลใหม่กว่าไฟล์สำรอง {summary.migrations_to_apply} ขั้น"
                " — สั่ง tidtam migrate ก่อนเปิดใช้งาน"
            )
