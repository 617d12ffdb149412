"""`tidtam publish --org CODE --fy YEAR --as USER [--document …]`: put an organisation's
documents of a year in public, as a planner does on /public/manage/ (the demo publishes สมศ.'s)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from tidtam.commands import DataCommand
from tidtam.domain.errors import DomainError
from tidtam.messages import DOCUMENT_TITLES, message_for
from tidtam.orgs.models import Organization
from tidtam.portal import services


class Command(DataCommand):
    help = "เผยแพร่เอกสารของหน่วยงานต่อสาธารณะ (หน้า /public/)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="รหัสหน่วยงาน เช่น onesqa")
        parser.add_argument("--fy", required=True, type=int, help="ปีงบประมาณ (พ.ศ.)")
        parser.add_argument("--as", dest="username", required=True, help="ผู้วางแผนที่เผยแพร่")
        parser.add_argument(
            "--document",
            action="append",
            choices=services.PUBLISHABLE,
            help="เอกสาร (ใส่ได้หลายครั้ง; ไม่ใส่ = ทุกฉบับ)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(f'ไม่พบหน่วยงานรหัส "{options["org"]}"')
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f'ไม่พบผู้ใช้ "{options["username"]}"')
        published = 0
        for document in options["document"] or services.PUBLISHABLE:
            try:
                services.publish(
                    user=user, organization=organization, year=options["fy"], document=document
                )
            except DomainError as error:
                self.stderr.write(f"เผยแพร่ {DOCUMENT_TITLES[document]} ไม่ได้: {message_for(error)}")
                continue
            published += 1
            self.stdout.write(
                f"เผยแพร่ {DOCUMENT_TITLES[document]} แล้ว: /public/{organization.code}/{options['fy']}/"
            )
        if not published:
            raise CommandError("ไม่ได้เผยแพร่เอกสารใดเลย")
