"""`tidtam demo_user`: the demo's administrator, made or reset, for `make demo` only."""

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "สร้าง (หรือตั้งรหัสผ่านใหม่ให้) ผู้ใช้สาธิต สำหรับ make demo เท่านั้น"

    def handle(self, *args: Any, **options: Any) -> None:
        username = os.environ.get("TIDTAM_DEMO_USER", "demo")
        password = os.environ.get("TIDTAM_DEMO_PASSWORD", "tidtam-demo")
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(f"ผู้ใช้สาธิต: {username} / รหัสผ่าน: {password}")
