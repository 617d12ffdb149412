"""`tidtam send_reminders [--dry-run]`: e-mail reporters whose entries are not sent when a round's
deadline is near (run it once a day from cron or a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from tidtam.commands import DataCommand
from tidtam.domain.thai import format_date_long
from tidtam.periods.clock import today
from tidtam.progress.reminders import reminders_due, reminders_send


class Command(DataCommand):
    help = (
        "ส่งอีเมลเตือนผู้รายงานผลที่ยังไม่ได้ส่งผลของรอบที่เปิดอยู่ เมื่อใกล้กำหนดส่ง"
        " (ตามวันใน TIDTAM_REMINDER_DAYS) และในวันกำหนดส่ง — ให้ตัวตั้งเวลาเรียกวันละครั้ง"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="แสดงว่าจะส่งถึงใครบ้าง โดยไม่ส่งอีเมลจริง",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = today()
        plan = reminders_due(today=day)
        days = " และ ".join(str(d) for d in plan.days_before if d > 0)
        if not plan.rounds:
            self.stdout.write(
                f"วันที่ {format_date_long(day)}: ไม่มีรอบรายงานที่ต้องเตือนวันนี้"
                f" (เตือนก่อนกำหนดส่ง {days} วัน และในวันกำหนดส่ง เฉพาะรอบที่เปิดรับรายงาน)"
            )
            return
        for due in plan.rounds:
            self.stdout.write(
                f"{due.round}: กำหนดส่งผล {format_date_long(due.deadline)} ({due.days_text})"
            )
        dry_run = bool(options["dry_run"])
        result = reminders_send(plan, dry_run=dry_run)
        people, items = len(result.sent), result.items_sent
        if dry_run:
            self.stdout.write(
                f"ทดลองเท่านั้น (--dry-run) ยังไม่ได้ส่งอีเมล: จะส่งถึง {people} คน"
                f" รวม {items} รายการที่ยังไม่ได้ส่งผล"
            )
        else:
            self.stdout.write(f"ส่งอีเมลเตือนแล้ว {people} คน รวม {items} รายการที่ยังไม่ได้ส่งผล")
        for reminder in result.sent:
            self.stdout.write(
                f"  - {reminder.person.full_name} <{reminder.email}>: {reminder.item_count} รายการ"
            )
        if result.no_email:
            names = ", ".join(r.person.full_name for r in result.no_email)
            self.stdout.write(
                f"ไม่ได้ส่ง {len(result.no_email)} คน เพราะไม่มีอีเมล: {names}"
                " — เพิ่มอีเมลในข้อมูลบุคลากรของผู้ดูแลระบบ"
            )
        if plan.unassigned:
            self.stdout.write(
                f"มี {plan.unassigned} รายการที่ยังไม่ได้ส่งผลแต่ไม่มีผู้รายงานให้เตือน"
                " (ไม่มีหน่วยงานรับผิดชอบ หรือหน่วยงานนั้นไม่มีผู้รายงานผล)"
                " — กำหนดหน่วยงานหรือผู้รายงานผลในหน้าแผน"
            )
        if result.failed:
            for reminder, error in result.failed:
                self.stderr.write(
                    f"ส่งถึง {reminder.person.full_name} <{reminder.email}> ไม่สำเร็จ: {error}"
                )
            raise CommandError(
                f"ส่งอีเมลไม่สำเร็จ {len(result.failed)} คน — ตรวจการตั้งค่าเซิร์ฟเวอร์อีเมล"
                " (TIDTAM_EMAIL_HOST, TIDTAM_EMAIL_PORT) แล้วเรียกคำสั่งนี้อีกครั้ง"
            )
