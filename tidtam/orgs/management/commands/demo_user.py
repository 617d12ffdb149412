"""`tidtam demo_user`: the demo's administrator and its cast (one person per role), for `make demo`."""

import os
from base64 import b32encode
from typing import Any

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from tidtam.commands import DataCommand
from tidtam.seeds.cast import load_cast, open_demo_round


class Command(DataCommand):
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
        # The admin asks staff for a TOTP code (always on): the demo's administrator gets a
        # device here, and the code is printed by a command instead of a phone.
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "แอปยืนยันตัวตน (สาธิต)"}
        )
        self.stdout.write(
            f"หน้าผู้ดูแลระบบ /admin/ ขอรหัสยืนยันตัวตน 6 หลัก: รัน  tidtam otp_code {username}"
            f"  (หรือเพิ่มรหัสลับ {b32encode(device.bin_key).decode()} ในแอปยืนยันตัวตน)"
        )
        self.stdout.write("ผู้ใช้ตามบทบาท (รหัสผ่านเดียวกัน): " + ", ".join(cast))
        if opened:
            self.stdout.write(f"เปิดรับรายงาน: {opened}")
