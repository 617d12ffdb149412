"""`tidtam demo_user`: the demo's administrator and its cast (one person per role), for `make demo`."""

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from tidtam.seeds.cast import load_cast, open_demo_round


class Command(BaseCommand):
    help = "สร้าง (หรือตั้งรหัสผ่านใหม่ให้) ผู้ใช้สาธิตและบุคลากรสาธิตทุกบทบาท สำหรับ make demo เท่านั้น"

    def handle(self, *args: Any, **options: Any) -> None:
        username = os.environ.get("TIDTAM_DEMO_USER", "demo")
        password = os.environ.get("TIDTAM_DEMO_PASSWORD", "tidtam-demo")
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        cast = load_cast(password)
        opened = open_demo_round()
        self.stdout.write(f"ผู้ดูแลระบบสาธิต: {username} / รหัสผ่าน: {password}")
        self.stdout.write("ผู้ใช้ตามบทบาท (รหัสผ่านเดียวกัน): " + ", ".join(cast))
        if opened:
            self.stdout.write(f"เปิดรับรายงาน: {opened}")
