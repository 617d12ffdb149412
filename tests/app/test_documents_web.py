"""People get documents through the web app: ask, let the worker render, watch, download, print."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.app.conftest import squash
from tidtam.orgs.access import organizations_visible
from tidtam.orgs.models import Organization, Person, RoleAssignment
from tidtam.reports import services
from tidtam.reports.documents import DOCUMENTS
from tidtam.reports.models import RenderJob
from tidtam.reports.services import render_job_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

PASSWORD = "demo-password-2567"
RECEIVER = "นายสุภัทร จำปาทอง"  # who receives ops-bic's agreement for FY2564
FIRST_KPI = "ระดับความสำเร็จในการเสริมสร้างบทบาทของโรงเรียนโครงการการศึกษาเพื่อความเข้าใจอันดี"
STAGES = {
    "json": [(10, "รวบรวมข้อมูล"), (40, "จัดทำไฟล์ JSON"), (90, "บันทึกไฟล์")],
    "pdf": [(10, "รวบรวมข้อมูล"), (40, "จัดทำไฟล์ PDF"), (70, "แปลงเป็น PDF"), (90, "บันทึกไฟล์")],
}


# PDF is the DOCX converted by LibreOffice; a machine without it cannot make one.
FORMATS = ["json", "docx", "xlsx", "html", "pdf"]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def person_with_role(username: str, org_code: str, role: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    organization = Organization.objects.get(code=org_code)
    person = Person.objects.create(
        user=user, prefix="นาง", first_name="ทดสอบ", last_name=username, organization=organization
    )
    RoleAssignment.objects.create(person=person, organization=organization, role=role)
    return user


@pytest.fixture
def planner() -> User:
    return person_with_role("planner-bic", "ops-bic", RoleAssignment.Role.PLANNER)


@pytest.fixture
def reporter() -> User:
    return person_with_role("reporter-ssph", "onesqa-ssph", RoleAssignment.Role.REPORTER)


def log_in(client: Client, user: User) -> None:
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=False
    )
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("root")


def run_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """`tidtam db_worker --batch`, as an operator would run it, in the test's process.

    The worker closes stale connections between tasks; inside the test's transaction that would
    drop the transaction on PostgreSQL (SQLite in memory ignores it), so only that is switched off.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def ask(
    client: Client,
    capture: Callable[..., Any],
    *,
    document: str = "agreement",
    org: str = "ops-bic",
    fiscal_year: int = 2564,
    round_months: int | None = None,
    fmt: str = "json",
) -> Any:
    with capture(execute=True):
        response = client.post(
            reverse("reports:documents"),
            {
                "document": document,
                "organization": org,
                "fiscal_year": fiscal_year,
                "round_months": round_months or "",
                "fmt": fmt,
            },
        )
    return response


def downloaded(response: FileResponse) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


def text_of(fmt: str, content: bytes) -> str:
    """What a person reading the file sees, as one string."""
    if fmt == "json":
        return json.dumps(json.loads(content), ensure_ascii=False)
    if fmt == "html":
        return content.decode()
    if fmt == "docx":
        from docx import Document

        word = Document(BytesIO(content))
        cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    assert content.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_planner_asks_for_the_agreement_and_downloads_the_file_the_worker_made(
    client: Client,
    planner: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    fmt: str,
) -> None:
    if fmt == "pdf":
        request.getfixturevalue("office")  # LibreOffice, installed when missing
    log_in(client, planner)
    page = client.get(reverse("reports:documents"))
    assert page.status_code == 200
    assert "คำรับรองการปฏิบัติราชการ" in page.content.decode()

    response = ask(client, django_capture_on_commit_callbacks, fmt=fmt)

    job = RenderJob.objects.get(requested_by=planner)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    assert (job.status, job.progress, job.format, job.round_months) == ("queued", 0, fmt, None)
    task = DBTaskResult.objects.get(pk=job.task_result_id)
    assert task.status == TaskResultStatus.READY
    assert task.task_path == "tidtam.reports.tasks.render_document"
    assert task.args_kwargs == {"args": [str(job.pk)], "kwargs": {}}

    run_worker(monkeypatch)

    job.refresh_from_db()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert (job.status, job.progress, job.error) == ("done", 100, "")
    assert job.filename == f"agreement-ops-bic-2564.{fmt}"
    assert job.file and Path(job.file.path).is_file()
    assert job.finished_at is not None

    status_page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "เสร็จแล้ว" in status_page
    assert reverse("reports:job_download", args=[job.pk]) in status_page
    assert 'http-equiv="refresh"' not in status_page

    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith(
        {
            "json": "application/json",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "html": "text/html",
            "pdf": "application/pdf",
        }[fmt]
    )
    assert f'filename="agreement-ops-bic-2564.{fmt}"' in download["Content-Disposition"]
    assert isinstance(download, FileResponse)
    text = text_of(fmt, downloaded(download))
    if fmt == "xlsx":
        assert FIRST_KPI in text
    elif fmt == "pdf":
        assert squash(RECEIVER) in squash(text)
    else:
        assert RECEIVER in text

    listing = client.get(reverse("reports:documents")).content.decode()
    assert f"ดาวน์โหลด agreement-ops-bic-2564.{fmt}" in listing


@pytest.mark.parametrize("fmt", [fmt for fmt in STAGES if fmt in FORMATS])
def test_the_worker_reports_each_stage_as_it_goes(
    client: Client,
    planner: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    fmt: str,
) -> None:
    if fmt == "pdf":
        request.getfixturevalue("office")  # LibreOffice, installed when missing
    seen: list[tuple[int, str]] = []
    advance = services._advance

    def recording(job: RenderJob, progress: int, stage: str) -> None:
        advance(job, progress, stage)
        stored = RenderJob.objects.get(pk=job.pk)
        seen.append((stored.progress, stored.stage))
        assert stored.status == RenderJob.Status.RUNNING

    monkeypatch.setattr(services, "_advance", recording)
    log_in(client, planner)
    ask(client, django_capture_on_commit_callbacks, fmt=fmt)
    run_worker(monkeypatch)
    assert seen == STAGES[fmt]
    assert RenderJob.objects.get(requested_by=planner).stage == "เสร็จแล้ว"


def test_the_status_page_shows_a_progress_bar_and_the_thai_stage_and_reloads_itself(
    client: Client, planner: User
) -> None:
    job = RenderJob.objects.create(
        document="agreement",
        organization=Organization.objects.get(code="ops-bic"),
        fiscal_year=2564,
        format="docx",
        requested_by=planner,
        status=RenderJob.Status.RUNNING,
        progress=40,
        stage="จัดทำไฟล์ DOCX",
    )
    log_in(client, planner)
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert '<progress max="100" value="40">' in page
    assert "กำลังจัดทำ" in page and "จัดทำไฟล์ DOCX" in page
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<html lang="th">' in page
    # Nothing to download yet.
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_a_render_that_breaks_a_rule_fails_with_the_thai_message_and_keeps_no_file(
    client: Client,
    planner: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    media: Path,
) -> None:
    log_in(client, planner)
    # ops-bic has an agreement for 2564 but no operating plan, so no quarterly report.
    ask(client, django_capture_on_commit_callbacks, document="quarterly", round_months=6)
    run_worker(monkeypatch)

    job = RenderJob.objects.get(requested_by=planner)
    assert job.status == "failed"
    assert job.round_months == 6
    assert job.error == ("สต. ยังไม่มีแผนปฏิบัติราชการของปีงบประมาณ 2564 — สร้างแผนของปีนั้นก่อนออกรายงาน")
    assert not job.file and job.filename == ""
    assert not list(media.rglob("*.*"))
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "ไม่สำเร็จ" in page and "ยังไม่มีแผนปฏิบัติราชการของปีงบประมาณ 2564" in page
    assert 'http-equiv="refresh"' not in page
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_an_unexpected_error_fails_the_job_in_thai_naming_the_error_and_logs_the_traceback(
    client: Client,
    planner: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    media: Path,
) -> None:
    def broken(data: dict[str, Any], fmt: str) -> bytes:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(services, "render", broken)
    log_in(client, planner)
    ask(client, django_capture_on_commit_callbacks)
    run_worker(monkeypatch)

    job = RenderJob.objects.get(requested_by=planner)
    assert job.status == "failed"
    assert "ZeroDivisionError" in job.error
    assert job.error.startswith("จัดทำเอกสารไม่สำเร็จเพราะเกิดข้อผิดพลาดในระบบ")
    assert not job.file
    assert not list(media.rglob("*.*"))
    assert "ZeroDivisionError: division by zero" in caplog.text


def test_a_file_saved_before_a_failure_is_removed(
    planner: User, monkeypatch: pytest.MonkeyPatch, media: Path
) -> None:
    job = RenderJob.objects.create(
        document="agreement",
        organization=Organization.objects.get(code="ops-bic"),
        fiscal_year=2564,
        format="json",
        requested_by=planner,
    )
    owned = services._owned

    class FinalWriteFails:
        """The job's row as the run writes it, failing at the write that marks it done (after
        the file is on disk): a full disk or a lost database connection at the last step."""

        def __init__(self, rows: Any) -> None:
            self.rows = rows

        def update(self, **fields: Any) -> int:
            if fields.get("status") == RenderJob.Status.DONE:
                raise RuntimeError("disk full")
            return int(self.rows.update(**fields))

    monkeypatch.setattr(services, "_owned", lambda job: FinalWriteFails(owned(job)))
    assert services.render_job_run(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and "RuntimeError" in job.error
    assert not job.file
    assert not list(media.rglob("*.*"))


def test_a_reporter_of_another_organisation_sees_neither_the_job_nor_the_organisation(
    client: Client,
    planner: User,
    reporter: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    log_in(client, planner)
    ask(client, django_capture_on_commit_callbacks)
    job = RenderJob.objects.get(requested_by=planner)
    client.logout()

    log_in(client, reporter)
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404
    form_page = client.get(reverse("reports:documents")).content.decode()
    assert 'value="onesqa-ssph"' in form_page
    assert 'value="ops-bic"' not in form_page

    refused = ask(client, django_capture_on_commit_callbacks)
    assert refused.status_code == 400
    assert "คุณไม่มีสิทธิ์ดูเอกสารของหน่วยงานนี้" in refused.content.decode()
    assert not RenderJob.objects.filter(requested_by=reporter).exists()

    printed = client.get(reverse("reports:print", args=["agreement", "ops-bic", 2564]))
    assert printed.status_code == 404
    assert "ไม่พบหน่วยงานรหัส &quot;ops-bic&quot;" in printed.content.decode()


def test_a_role_on_an_organisation_shows_everything_below_it_and_a_superuser_sees_all() -> None:
    onesqa_planner = person_with_role("planner-onesqa", "onesqa", RoleAssignment.Role.PLANNER)
    seen = set(organizations_visible(onesqa_planner).values_list("code", flat=True))
    assert "onesqa" in seen and "onesqa-ssph" in seen and "onesqa-phok" in seen
    assert not seen & {"moe", "ops", "ops-bic"}

    ministry = person_with_role("executive-moe", "moe", RoleAssignment.Role.EXECUTIVE)
    assert {"moe", "ops", "ops-bic"} <= set(
        organizations_visible(ministry).values_list("code", flat=True)
    )

    root = User.objects.create_superuser("root", password=PASSWORD)
    assert organizations_visible(root).count() == Organization.objects.count()
    nobody = User.objects.create_user("nobody", password=PASSWORD)
    assert not organizations_visible(nobody).exists()


def test_the_service_refuses_an_organisation_the_person_may_not_see(reporter: User) -> None:
    from tidtam.domain.errors import DomainError

    with pytest.raises(DomainError) as caught:
        render_job_request(
            user=reporter,
            document="agreement",
            org_code="ops-bic",
            fiscal_year=2564,
            round_months=None,
            fmt="docx",
        )
    assert caught.value.code == "organization_unknown"
    with pytest.raises(DomainError) as caught:
        render_job_request(
            user=reporter,
            document="agreement",
            org_code="onesqa-ssph",
            fiscal_year=2564,
            round_months=None,
            fmt="odt",
        )
    assert caught.value.code == "format_unsupported"


def test_a_document_that_needs_a_round_asks_for_one_in_thai(
    client: Client, planner: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    log_in(client, planner)
    response = ask(client, django_capture_on_commit_callbacks, document="scorecard")
    assert response.status_code == 400
    assert "ต้องเลือกรอบการรายงาน" in response.content.decode()
    assert not RenderJob.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/documents/",
        "/documents/jobs/00000000-0000-0000-0000-000000000000/",
        "/documents/jobs/00000000-0000-0000-0000-000000000000/download/",
        "/documents/agreement/ops-bic/2564/print/",
    ],
)
def test_someone_not_logged_in_is_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_login_page_is_thai_and_the_root_leads_to_my_work(
    client: Client, planner: User
) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="th">' in page and "เข้าสู่ระบบ" in page and "รหัสผ่าน" in page
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"
    log_in(client, planner)
    assert client.get("/")["Location"] == reverse("progress:my_work") == "/work/"


def test_a_wrong_password_is_refused_in_thai(client: Client, planner: User) -> None:
    response = client.post("/accounts/login/", {"username": "planner-bic", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_the_header_names_the_person_and_logs_out_by_post(client: Client, planner: User) -> None:
    log_in(client, planner)
    page = client.get(reverse("reports:documents")).content.decode()
    assert "นางทดสอบ planner-bic" in page
    assert f'<form method="post" action="{reverse("logout")}"' in page
    response = client.post(reverse("logout"), {"next": reverse("login")})
    assert response["Location"] == reverse("login")
    assert client.get(reverse("reports:documents")).status_code == 302


def test_the_print_view_is_thai_html_made_on_the_request(client: Client, planner: User) -> None:
    log_in(client, planner)
    response = client.get(reverse("reports:print", args=["agreement", "ops-bic", 2564]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'lang="th"' in page
    assert RECEIVER in page


def test_the_print_view_explains_in_thai_why_it_cannot_print(client: Client, planner: User) -> None:
    log_in(client, planner)
    response = client.get(reverse("reports:print_round", args=["quarterly", "ops-bic", 2564, 6]))
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="th">' in page
    assert "ยังไม่มีแผนปฏิบัติราชการของปีงบประมาณ 2564" in page
    unknown = client.get("/documents/budget-book/ops-bic/2564/print/")
    assert unknown.status_code == 400
    assert "ไม่รู้จักเอกสาร &quot;budget-book&quot;" in unknown.content.decode()


@pytest.mark.parametrize(
    ("document", "args"),
    [("summary", [2564, 6]), ("form-301", [2564]), ("form-302", [2564])],
)
def test_a_document_made_only_as_a_spreadsheet_has_no_print_view_and_says_so_in_thai(
    client: Client, planner: User, document: str, args: list[int]
) -> None:
    """The summary and forms 301 / 302 are made as Excel and JSON only (reports.documents): their
    print view says which formats there are, instead of failing (it answered 500)."""
    log_in(client, planner)
    name = "reports:print_round" if len(args) == 2 else "reports:print"
    response = client.get(reverse(name, args=[document, "ops-bic", *args]))
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="th">' in page
    assert DOCUMENTS[document].title in page
    assert "xlsx, json" in page
