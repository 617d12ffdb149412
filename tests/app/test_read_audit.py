"""Reads that matter are audited: evidence and document downloads and views of officials' phone
numbers each leave one row (who, when, what), which auditors read at /audit/ and in the admin."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.app.conftest import admin_signed_in, signed_in
from tidtam.audit.models import ReadAudit
from tidtam.audit.services import record_read
from tidtam.orgs.models import Organization, Person
from tidtam.progress.models import Evidence, ProgressEntry
from tidtam.reports.models import RenderJob

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

User = get_user_model()
MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def folders(tmp_path: Path) -> Any:
    with override_settings(EVIDENCE_ROOT=tmp_path / "evidence", MEDIA_ROOT=tmp_path / "media"):
        yield


@pytest.fixture
def evidence() -> Evidence:
    entry = ProgressEntry.objects.filter(work_item__name=MAINTENANCE).first()
    assert entry is not None
    item = Evidence(
        content_type=ContentType.objects.get_for_model(ProgressEntry),
        object_id=entry.pk,
        original_name="รายงานการประชุม.pdf",
        size=len(PDF),
    )
    item.file.save("x.pdf", ContentFile(PDF), save=False)
    item.save()
    return item


def test_a_reporter_downloading_evidence_leaves_exactly_one_row_saying_who_when_what(
    evidence: Evidence,
) -> None:
    before = timezone.now()
    response = signed_in(Client(), "reporter").get(reverse("progress:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    row = ReadAudit.objects.get()
    assert row.user == User.objects.get(username="reporter")
    assert row.username == "reporter"
    assert row.kind == ReadAudit.Kind.EVIDENCE
    assert before <= row.at <= timezone.now()
    assert (row.content_type.model_class(), row.object_id) == (Evidence, str(evidence.pk))  # type: ignore[union-attr]
    assert row.description == f'ไฟล์หลักฐาน "รายงานการประชุม.pdf" ของ "{MAINTENANCE}"'
    assert row.organization == Organization.objects.get(code="onesqa")
    # A refused download (another organisation) reads nothing and leaves nothing.
    assert (
        signed_in(Client(), "bic-planner")
        .get(reverse("progress:evidence", args=[evidence.pk]))
        .status_code
        == 404
    )
    assert ReadAudit.objects.count() == 1


def test_the_auditor_reads_the_log_and_filters_it_by_person_kind_and_date(
    evidence: Evidence,
) -> None:
    signed_in(Client(), "reporter").get(reverse("progress:evidence", args=[evidence.pk]))
    auditor = signed_in(Client(), "auditor")
    page = auditor.get(reverse("audit:read_log"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "บันทึกการเข้าถึงข้อมูล" in text
    assert "สมชาย รายงานผล" in text and "รายงานการประชุม.pdf" in text
    assert "ดาวน์โหลดไฟล์หลักฐาน" in text

    def shown(**query: str) -> bool:
        response = auditor.get(reverse("audit:read_log"), query)
        assert response.status_code == 200, response.content.decode()
        return "รายงานการประชุม.pdf" in response.content.decode()

    assert shown(person="สมชาย")
    assert shown(person="reporter", kind="evidence")
    assert not shown(person="มาลี")
    assert not shown(kind="document")
    today = timezone.localdate()
    be = f"{today.day:02d}/{today.month:02d}/{today.year + 543}"
    assert shown(date_from=be, date_to=be)
    tomorrow = today + timedelta(days=1)
    assert not shown(date_from=f"{tomorrow.day:02d}/{tomorrow.month:02d}/{tomorrow.year + 543}")
    reversed_dates = auditor.get(
        reverse("audit:read_log"), {"date_from": be, "date_to": "01/01/2500"}
    )
    assert reversed_dates.status_code == 400
    assert "วันที่สิ้นสุดอยู่ก่อนวันที่เริ่มต้น" in reversed_dates.content.decode()


def test_only_auditors_and_superusers_open_the_log_and_only_within_their_reach(
    evidence: Evidence,
) -> None:
    signed_in(Client(), "reporter").get(reverse("progress:evidence", args=[evidence.pk]))
    record_read(
        user=User.objects.get(username="bic-planner"),
        kind="phone",
        description="เบอร์โทรศัพท์ของเจ้าหน้าที่ สต.",
        organization=Organization.objects.get(code="ops-bic"),
    )
    for username in ("reporter", "approver", "planner", "executive", "bic-planner"):
        refused = signed_in(Client(), username).get(reverse("audit:read_log"))
        assert refused.status_code == 403, username
        assert "เฉพาะผู้ตรวจสอบ" in refused.content.decode()
    auditor_page = signed_in(Client(), "auditor").get(reverse("audit:read_log")).content.decode()
    assert "รายงานการประชุม.pdf" in auditor_page
    assert 'href="/audit/">บันทึกการเข้าถึง</a>' in auditor_page  # in the auditor's menu
    my_work = signed_in(Client(), "reporter").get(reverse("progress:my_work")).content.decode()
    assert "บันทึกการเข้าถึง" not in my_work
    assert "เจ้าหน้าที่ สต." not in auditor_page  # another organisation's reads
    superuser = User.objects.create_superuser("audit-super", password="x")
    client = Client()
    client.force_login(superuser)
    everything = client.get(reverse("audit:read_log")).content.decode()
    assert "รายงานการประชุม.pdf" in everything and "เจ้าหน้าที่ สต." in everything
    assert Client().get(reverse("audit:read_log")).status_code == 302  # not signed in


def test_the_log_is_paged_newest_first() -> None:
    auditor = User.objects.get(username="auditor")
    onesqa = Organization.objects.get(code="onesqa")
    ReadAudit.objects.bulk_create(
        ReadAudit(
            user=auditor,
            username="auditor",
            kind="phone",
            description=f"อ่านครั้งที่ {i:03d}",
            organization=onesqa,
            at=timezone.now() - timedelta(minutes=i),
        )
        for i in range(120)
    )
    client = signed_in(Client(), "auditor")
    first = client.get(reverse("audit:read_log")).content.decode()
    assert "พบ 120 รายการ — หน้า 1 จาก 3" in first
    assert "อ่านครั้งที่ 000" in first and "อ่านครั้งที่ 049" in first
    assert "อ่านครั้งที่ 050" not in first
    third = client.get(reverse("audit:read_log"), {"page": "3", "kind": "phone"}).content.decode()
    assert "อ่านครั้งที่ 119" in third and "อ่านครั้งที่ 099" not in third
    assert "kind=phone&amp;page=2" in third


def test_the_log_page_runs_the_same_queries_for_10_rows_as_for_a_full_page() -> None:
    auditor = User.objects.get(username="auditor")
    onesqa = Organization.objects.get(code="onesqa")
    client = signed_in(Client(), "auditor")

    def queries_with(rows: int) -> int:
        ReadAudit.objects.all().delete()
        ReadAudit.objects.bulk_create(
            ReadAudit(
                user=auditor,
                username="auditor",
                kind="phone",
                description=f"แถว {i}",
                organization=onesqa,
            )
            for i in range(rows)
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("audit:read_log")).status_code == 200
        return len(queries)

    queries_with(1)  # the first request of a session loads what later ones find cached
    assert queries_with(10) == queries_with(60)


def test_document_downloads_and_print_pages_are_recorded() -> None:
    planner = User.objects.get(username="planner")
    job = RenderJob.objects.create(
        document="agreement",
        organization=Organization.objects.get(code="onesqa"),
        fiscal_year=2567,
        format="docx",
        requested_by=planner,
        status=RenderJob.Status.DONE,
        filename="คำรับรอง.docx",
    )
    job.file.save("x.docx", ContentFile(b"PK docx"), save=True)
    client = signed_in(Client(), "planner")
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200
    row = ReadAudit.objects.get()
    assert (row.user, row.kind, row.object_id) == (planner, "document", str(job.pk))
    assert row.organization == job.organization
    assert "2567" in row.description and "DOCX" in row.description

    # สต.'s agreement of 2564 (seed 004), opened as a print page by its planner.
    bic = signed_in(Client(), "bic-planner")
    printed = bic.get(reverse("reports:print", args=["agreement", "ops-bic", 2564]))
    assert printed.status_code == 200
    latest = ReadAudit.objects.latest("id")
    assert latest.kind == "document" and "(พิมพ์)" in latest.description
    assert latest.username == "bic-planner"
    assert latest.organization == Organization.objects.get(code="ops-bic")
    # A print page that cannot be made (สมศ. has no agreement in the seeds) is not a read.
    missing = client.get(reverse("reports:print", args=["agreement", "onesqa", 2567]))
    assert missing.status_code == 400
    assert ReadAudit.objects.count() == 2


def test_phone_numbers_shown_in_the_admin_are_recorded_per_person() -> None:
    superuser = User.objects.create_superuser("phones", password="x")
    client = admin_signed_in(Client(), superuser)
    with_phone = Person.objects.exclude(office_phone="").count()
    assert with_phone > 0
    listing = client.get(reverse("admin:orgs_person_changelist"))
    assert listing.status_code == 200
    rows = ReadAudit.objects.filter(kind="phone")
    assert rows.count() == min(with_phone, 100)  # the admin's page size
    assert {r.username for r in rows} == {"phones"}
    person = Person.objects.exclude(office_phone="").first()
    assert person is not None
    client.get(reverse("admin:orgs_person_change", args=[person.pk]))
    latest = ReadAudit.objects.latest("id")
    assert latest.description == f"เบอร์โทรศัพท์ของ {person.full_name} ({person.office_phone})"
    assert latest.organization_id == person.organization_id


def test_the_log_cannot_be_added_changed_or_deleted_in_the_admin(evidence: Evidence) -> None:
    signed_in(Client(), "reporter").get(reverse("progress:evidence", args=[evidence.pk]))
    row = ReadAudit.objects.get()
    superuser = User.objects.create_superuser("audit-admin", password="x")
    client = admin_signed_in(Client(), superuser)
    change = reverse("admin:audit_readaudit_change", args=[row.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"description": "ลบร่องรอย"}).status_code == 403
    assert client.get(reverse("admin:audit_readaudit_add")).status_code == 403
    delete = reverse("admin:audit_readaudit_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.description.startswith("ไฟล์หลักฐาน")
