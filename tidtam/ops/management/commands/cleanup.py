"""`tidtam cleanup [--dry-run] [--minutes N]`: remove what crashes left behind (see tidtam.ops.cleanup)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings

from tidtam.commands import DataCommand
from tidtam.ops import cleanup
from tidtam.reports.models import RenderJob


class Command(DataCommand):
    help = (
        "ลบไฟล์หลักฐานและไฟล์เอกสารที่ไม่มีรายการในฐานข้อมูลอ้างถึง โฟลเดอร์ชั่วคราวของโปรเซสที่หยุดไปแล้ว"
        " และปิดงานจัดทำเอกสารที่เครื่องจัดทำหยุดส่งสัญญาณ (ควรสั่งทุกวันจาก cron หรือ systemd timer)"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="แสดงรายการที่จะลบเท่านั้น ไม่ลบและไม่เปลี่ยนสิ่งใด"
        )
        parser.add_argument(
            "--minutes",
            type=int,
            default=settings.CLEANUP_MINUTES,
            help="ลบเฉพาะไฟล์ที่เก่ากว่านี้ (นาที) เพราะไฟล์ใหม่อาจกำลังบันทึกอยู่",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        found = cleanup.find(minutes=options["minutes"])
        dry = options["dry_run"]
        verb = "จะลบ" if dry else "ลบแล้ว"
        for path in found.evidence:
            self.stdout.write(f"{verb}: ไฟล์หลักฐานที่ไม่มีรายการหลักฐานอ้างถึง {path}")
        for path in found.rendered:
            self.stdout.write(f"{verb}: ไฟล์เอกสารที่ไม่มีงานจัดทำเอกสารอ้างถึง {path}")
        for path in found.temp_folders:
            self.stdout.write(f"{verb}: โฟลเดอร์ชั่วคราวของโปรเซสที่หยุดไปแล้ว {path}")
        stop = "จะหยุด" if dry else "หยุดแล้ว"
        for pid in found.left_running:
            self.stdout.write(f"{stop}: โปรเซส {pid} (LibreOffice) ที่ยังทำงานในโฟลเดอร์ชั่วคราวข้างบน")
        if dry:
            running = RenderJob.objects.filter(status=RenderJob.Status.RUNNING).count()
            self.stdout.write(
                f"ไม่ได้ลบสิ่งใด (--dry-run) งานจัดทำเอกสารที่กำลังทำอยู่ {running} งาน"
                " จะถูกตรวจสัญญาณเมื่อสั่งโดยไม่มี --dry-run"
            )
            return
        cleanup.clean(found)
        self.stdout.write(
            f"เสร็จแล้ว: ไฟล์หลักฐาน {len(found.evidence)} ไฟล์ ไฟล์เอกสาร {len(found.rendered)} ไฟล์"
            f" โฟลเดอร์ชั่วคราว {len(found.temp_folders)} โฟลเดอร์"
            f" งานจัดทำเอกสารที่ค้างและปิดเป็นไม่สำเร็จ {found.stale_jobs} งาน"
        )
