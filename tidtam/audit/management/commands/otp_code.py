"""`tidtam otp_code USER`: the current TOTP code of a staff member's device, for the demo.

Whoever can run this already holds the database (and so every secret in it); it gives them
nothing new, and it keeps the demo's admin usable without a phone.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tidtam.commands import DataCommand


def current_code(device: TOTPDevice) -> str:
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(code).zfill(device.digits)


class Command(DataCommand):
    help = "แสดงรหัสยืนยันตัวตน (TOTP) ปัจจุบันของผู้ดูแลระบบ สำหรับระบบสาธิต"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="ชื่อผู้ใช้ เช่น demo")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'ไม่พบผู้ใช้ "{username}" — ตรวจชื่อผู้ใช้ หรือสร้างด้วย tidtam demo_user')
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(
                f'ผู้ใช้ "{username}" ยังไม่มีแอปยืนยันตัวตน — เข้าหน้าผู้ดูแลระบบ /admin/ เพื่อตั้งค่า'
                " หรือรัน tidtam demo_user สำหรับผู้ใช้สาธิต"
            )
        left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(current_code(device))
        self.stderr.write(f"ใช้ได้อีก {left} วินาที (รหัสหนึ่งใช้ยืนยันได้ครั้งเดียว)")
