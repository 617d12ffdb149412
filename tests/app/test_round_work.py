"""Round work through HTTP: my work, entering a result with evidence, the review, the round's status.

The cast (tests/app/conftest.py) on seed 000: the reporter of สนย. reports the named projects of
activity 2.3, the approver approves สนย. and ภนย., the planner plans สมศ.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from tests.app.conftest import open_round_for, signed_in
from tidtam.agreements.models import Indicator
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan, WorkItem
from tidtam.progress.models import Evidence, ProgressEntry, ReviewStep
from tidtam.reports.ita import ita_plan_report
from tidtam.reports.quarterly import quarterly_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def open_round(tmp_path: Path) -> Round:
    round_ = open_round_for(2567, 6)
    with override_settings(DEMO_TODAY="2024-04-08", EVIDENCE_ROOT=tmp_path / "evidence"):
        yield round_


@pytest.fixture
def item() -> WorkItem:
    return WorkItem.objects.get(name=MAINTENANCE)


def entry_url(item: WorkItem, round_: Round) -> str:
    return reverse("progress:entry", args=[item.pk, round_.pk])


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "result_text": "ดำเนินการได้ 9 กิจกรรม",
        "result_text_annual": "",
        "result_quantity": "๙",
        "percent_round": "",
        "percent_annual": "",
        "percent_note": "",
        "explanation": "",
        "submit": "0",
    }
    data.update(changes)
    return data


def test_my_work_shows_the_open_round_its_deadline_and_the_reporters_items(
    client: Client, open_round: Round
) -> None:
    page = signed_in(client, "reporter").get(reverse("progress:my_work")).content.decode()
    assert "รอบ 6 เดือน (ไตรมาสที่ 2) ปีงบประมาณ 2567" in page
    assert "15 เมษายน 2567" in page and "เหลืออีก 7 วัน" in page
    assert MAINTENANCE in page
    # Items of other units (ภนย.'s information-system projects) are not the สนย. reporter's.
    assert "โครงการพัฒนาระบบสารสนเทศภูมิศาสตร์ (GIS)" not in page


def test_work_past_the_deadline_is_marked_overdue(client: Client) -> None:
    with override_settings(DEMO_TODAY="2024-04-20"):
        page = signed_in(client, "reporter").get(reverse("progress:my_work")).content.decode()
    assert "เลยกำหนดมาแล้ว 5 วัน" in page
    assert page.count('class="overdue small">เลยกำหนด') >= 1


def test_a_result_typed_in_thai_digits_is_saved_as_a_draft_with_its_percentages_computed(
    client: Client, item: WorkItem, open_round: Round
) -> None:
    response = signed_in(client, "reporter").post(entry_url(item, open_round), form_data())
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(work_item=item, round=open_round)
    assert entry.status == "draft"
    assert entry.result_quantity == Decimal("9")
    assert entry.percent_method == "computed"
    # 9 of 9 planned by the sixth month, 9 of 11 in the year.
    assert entry.percent_round == Decimal("100.0000")
    # Stored cut to 4 decimals (the page shows 81.82, from the raw figures).
    assert entry.percent_annual == Decimal("81.8181")


def test_the_percentages_are_previewed_live_by_the_same_rules(
    client: Client, item: WorkItem, open_round: Round
) -> None:
    url = reverse("progress:entry_preview", args=[item.pk, open_round.pk])
    page = signed_in(client, "reporter").post(url, {"result_quantity": "4"}).content.decode()
    assert 'data-testid="percent-annual">36.36<' in page
    assert "ต่ำกว่าร้อยละ 50 — ต้องกรอกคำอธิบาย" in page


def test_a_low_result_without_explanation_keeps_what_was_typed_and_says_what_to_fix(
    client: Client, item: WorkItem, open_round: Round
) -> None:
    before = ProgressEntry.objects.get(work_item=item, round=open_round).result_text
    response = signed_in(client, "reporter").post(
        entry_url(item, open_round),
        form_data(result_quantity="๑", result_text="ดำเนินการได้ 1 กิจกรรม", explanation=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_explanation_error"' in page and "ร้อยละ 50" in page
    assert "ดำเนินการได้ 1 กิจกรรม" in page  # what was typed is still there
    assert ProgressEntry.objects.get(work_item=item, round=open_round).result_text == before


def test_evidence_files_are_kept_outside_the_web_root_and_served_only_to_those_who_see_the_entry(
    client: Client, item: WorkItem, open_round: Round
) -> None:
    files = [
        SimpleUploadedFile("รายงานการประชุม.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("ภาพกิจกรรม.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png"),
    ]
    response = signed_in(client, "reporter").post(
        entry_url(item, open_round), form_data(evidence=files)
    )
    assert response.status_code == 302
    kept = list(Evidence.objects.order_by("original_name"))
    assert [e.original_name for e in kept] == ["ภาพกิจกรรม.png", "รายงานการประชุม.pdf"]
    stored = Path(kept[1].file.path)
    assert stored.read_bytes() == PDF
    assert Path(settings.EVIDENCE_ROOT) in stored.parents
    assert Path(settings.MEDIA_ROOT) not in stored.parents
    assert Path(settings.STATIC_ROOT) not in stored.parents

    url = reverse("progress:evidence", args=[kept[1].pk])
    for username in ("reporter", "approver", "planner", "auditor"):
        download = signed_in(Client(), username).get(url)
        assert download.status_code == 200, username
        assert b"".join(download.streaming_content) == PDF
        assert "attachment" in download["Content-Disposition"]
    assert signed_in(Client(), "bic-planner").get(url).status_code == 404
    assert signed_in(Client(), "moe-planner").get(url).status_code == 404
    # Within the agency, whoever reads the entry reads its evidence (tidtam/orgs/policy.py).
    assert signed_in(Client(), "reporter2").get(url).status_code == 200


def test_a_file_of_the_wrong_type_saves_nothing_and_says_which_file(
    client: Client, item: WorkItem, open_round: Round
) -> None:
    before = ProgressEntry.objects.get(work_item=item, round=open_round).result_quantity
    bad = SimpleUploadedFile("หลักฐาน.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    good = SimpleUploadedFile("ดี.pdf", PDF, "application/pdf")
    response = signed_in(client, "reporter").post(
        entry_url(item, open_round), form_data(evidence=[good, bad])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ไฟล์ &quot;หลักฐาน.pdf&quot; มีนามสกุล .PDF แต่เนื้อไฟล์ไม่ใช่ไฟล์ PDF" in page
    # All or nothing: neither the entry's new figures nor the good file were kept.
    assert ProgressEntry.objects.get(work_item=item, round=open_round).result_quantity == before
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(
    client: Client, item: WorkItem, open_round: Round
) -> None:
    with override_settings(EVIDENCE_MAX_BYTES=20):
        page = (
            signed_in(client, "reporter")
            .post(
                entry_url(item, open_round),
                form_data(evidence=[SimpleUploadedFile("ใหญ่.pdf", PDF, "application/pdf")]),
            )
            .content.decode()
        )
    assert "เกินกำหนด" in page
    assert not Evidence.objects.exists()


def review(client: Client, entry: ProgressEntry, action: str, comment: str = "") -> str:
    response = client.post(
        reverse("progress:entry_review", args=[entry.pk]),
        {"action": action, "comment": comment},
        follow=True,
    )
    return response.content.decode()


def test_submit_return_resubmit_approve_with_every_step_stamped(
    item: WorkItem, open_round: Round
) -> None:
    reporter = signed_in(Client(), "reporter")
    approver = signed_in(Client(), "approver")
    reporter.post(entry_url(item, open_round), form_data(submit="1"))
    entry = ProgressEntry.objects.get(work_item=item, round=open_round)
    assert entry.status == "submitted"

    # The approver finds it in their work, returns it; a return needs a comment.
    assert MAINTENANCE in approver.get(reverse("progress:my_work")).content.decode()
    assert "ต้องระบุเหตุผล" in review(approver, entry, "return", "  ")
    review(approver, entry, "return", "แนบรายงานการบำรุงรักษาเป็นหลักฐานด้วย")
    entry.refresh_from_db()
    assert entry.status == "returned"

    # The reporter sees the comment in their work, corrects and resubmits.
    work = reporter.get(reverse("progress:my_work")).content.decode()
    assert "ส่งกลับให้แก้ไข (1)" in work and "แนบรายงานการบำรุงรักษาเป็นหลักฐานด้วย" in work
    reporter.post(
        entry_url(item, open_round),
        form_data(submit="1", evidence=[SimpleUploadedFile("บำรุงรักษา.pdf", PDF)]),
    )
    entry.refresh_from_db()
    assert entry.status == "submitted"

    review(approver, entry, "approve")
    entry.refresh_from_db()
    assert entry.status == "approved"
    steps = list(ReviewStep.objects.filter(object_id=entry.pk).order_by("id"))
    assert [(s.action, s.from_status, s.to_status, s.actor.username) for s in steps] == [
        ("submit", "draft", "submitted", "reporter"),
        ("return", "submitted", "returned", "approver"),
        ("submit", "returned", "submitted", "reporter"),
        ("approve", "submitted", "approved", "approver"),
    ]
    assert all(s.at is not None for s in steps)


def test_an_approved_entry_is_locked_and_reopening_needs_a_reason(
    item: WorkItem, open_round: Round
) -> None:
    reporter = signed_in(Client(), "reporter")
    approver = signed_in(Client(), "approver")
    reporter.post(entry_url(item, open_round), form_data(submit="1"))
    entry = ProgressEntry.objects.get(work_item=item, round=open_round)
    review(approver, entry, "approve")

    page = reporter.post(
        entry_url(item, open_round), form_data(result_quantity="10"), follow=True
    ).content.decode()
    assert "แก้ไขไม่ได้" in page
    entry.refresh_from_db()
    assert entry.result_quantity == Decimal("9")

    assert "ต้องระบุเหตุผล" in review(approver, entry, "reopen")
    review(approver, entry, "reopen", "ผลเบิกจ่ายเปลี่ยนหลังตรวจสอบ")
    entry.refresh_from_db()
    assert entry.status == "returned"
    reporter.post(entry_url(item, open_round), form_data(result_quantity="10"))
    entry.refresh_from_db()
    assert entry.result_quantity == Decimal("10")


def test_a_reporter_cannot_approve_and_an_auditor_changes_nothing(
    item: WorkItem, open_round: Round
) -> None:
    signed_in(Client(), "reporter").post(entry_url(item, open_round), form_data(submit="1"))
    entry = ProgressEntry.objects.get(work_item=item, round=open_round)
    url = reverse("progress:entry_review", args=[entry.pk])
    refused = signed_in(Client(), "reporter").post(url, {"action": "approve"})
    assert refused.status_code == 403
    auditor = signed_in(Client(), "auditor")
    assert auditor.get(entry_url(item, open_round)).status_code == 200
    assert auditor.post(url, {"action": "approve"}).status_code == 403
    assert auditor.post(entry_url(item, open_round), form_data()).status_code == 403
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_the_planner_sees_the_band_table_and_the_status_per_unit_change(
    item: WorkItem, open_round: Round
) -> None:
    planner = signed_in(Client(), "planner")
    status_url = reverse("progress:round_status")
    before = planner.get(status_url, follow=True).content.decode()
    # Seed 000: 3 / 28 / 19 / 5 of 55 items.
    assert band_count(before, "below_50") == 28 and band_count(before, "from_80") == 5
    assert unit_cell(before, "สนย.", "draft") == 6

    signed_in(Client(), "reporter").post(entry_url(item, open_round), form_data(submit="1"))
    after = planner.get(status_url, follow=True).content.decode()
    # 45.45 % became 81.82 %: one item moved from below 50 to 80 and over.
    assert band_count(after, "below_50") == 27 and band_count(after, "from_80") == 6
    assert unit_cell(after, "สนย.", "draft") == 5
    assert unit_cell(after, "สนย.", "submitted") == 1


def band_count(page: str, band: str) -> int:
    import re

    match = re.search(rf'data-band="{band}">.*?<td class="text-end" data-count>(\d+)<', page, re.S)
    assert match, band
    return int(match[1])


def unit_cell(page: str, unit: str, status: str) -> int:
    import re

    row = re.search(rf'<tr data-unit="{re.escape(unit)}">(.*?)</tr>', page, re.S)
    assert row, unit
    cell = re.search(rf'data-status="{status}" class="text-end">(\d+)<', row[1])
    assert cell, status
    return int(cell[1])


INQAAHE = "โครงการรับการประเมินจาก INQAAHE"


def test_my_work_lists_a_strategic_project_once_as_its_kpi(
    client: Client, open_round: Round
) -> None:
    """A strategic-plan project is one row, its KPI: the units responsible for the project
    report it, named by the project; no work item stands for it."""
    response = signed_in(client, "reporter").get(reverse("progress:my_work"))
    rows = response.context["work"].to_report.rows
    assert any(row.kind == "work_item" for row in rows), "the สนย. reporter has plan items"
    assert not WorkItem.objects.filter(name=INQAAHE).exists()
    project = Indicator.objects.get(project_name=INQAAHE)
    [row] = [row for row in rows if row.name == INQAAHE]
    assert (row.kind, row.obj.pk, row.kind_label) == (
        "indicator",
        project.pk,
        "โครงการตามแผนยุทธศาสตร์",
    )
    page = response.content.decode()
    assert page.count(INQAAHE) == 1
    assert reverse("progress:result", args=[project.pk, open_round.pk]) in page


def test_a_strategic_project_added_on_its_page_is_reported_and_printed(
    client: Client, open_round: Round
) -> None:
    """The planner adds a project under a strategy with its KPI and units; the unit's reporter
    finds it in my work and reports it; the quarterly report's strategic table and the annual
    plan (ITA) print it."""
    plan = OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    url = reverse("agreements:strategic_projects", args=[plan.pk])
    planner = signed_in(client, "planner")
    page = planner.get(url)
    assert page.status_code == 200 and INQAAHE in page.content.decode()
    strategy = plan.strategic_framework.nodes.order_by("order").last()  # type: ignore[union-attr]
    sny = Organization.objects.get(code="onesqa-sny")
    data = {
        "project_name": "  โครงการทดลองระบบติดตามผล  ",
        "strategy": str(strategy.pk),
        "units": [str(sny.pk)],
        "name": "จำนวนหน่วยงานที่ใช้ระบบ",
        "measure_kind": "quantity",
        "direction": "higher",
        "unit": "หน่วยงาน",
        "target_value": "๘",
        "target_text": "8 หน่วยงาน",
        "base_year": "",
        "base_value": "",
    }
    refused = planner.post(url, {**data, "project_name": "", "strategy": ""})
    assert refused.status_code == 400
    assert "เลือกกลยุทธ์ที่โครงการนี้อยู่" in refused.content.decode()
    assert planner.post(url, data).status_code == 302
    project = Indicator.objects.get(project_name="โครงการทดลองระบบติดตามผล")
    assert (project.number, project.target_value, project.strategy_id) == (20, 8, strategy.pk)
    assert [r.organization.code for r in project.responsibilities.all()] == ["onesqa-sny"]

    reporter = signed_in(Client(), "reporter")
    rows = reporter.get(reverse("progress:my_work")).context["work"].to_report.rows
    assert [row.obj.pk for row in rows if row.name == project.project_name] == [project.pk]
    result_url = reverse("progress:result", args=[project.pk, open_round.pk])
    shown = reporter.get(result_url).content.decode()
    assert '<h1 class="h4">โครงการทดลองระบบติดตามผล</h1>' in shown
    assert "จำนวนหน่วยงานที่ใช้ระบบ" in shown and "สนย." in shown
    saved = reporter.post(result_url, {"value": "6", "narrative": "ใช้แล้ว 6 หน่วยงาน", "submit": "0"})
    assert saved.status_code == 302, saved.content.decode()[:2000]

    report = quarterly_report("onesqa", 2567, 6).model_dump()
    printed = [
        p
        for s in report["strategic"]["strategies"]
        for p in s["projects"]
        if p["name"] == project.project_name
    ]
    assert [(p["label"], p["indicator"], p["percent_text"], p["target"]) for p in printed] == [
        ("โครงการทดลองระบบติดตามผล (สนย.)", "จำนวนหน่วยงานที่ใช้ระบบ", "75", "8 หน่วยงาน")
    ]
    annual = ita_plan_report("onesqa", 2567).model_dump()
    [group] = [g for g in annual["groups"] if g["label"] == "โครงการตามแผนยุทธศาสตร์"]
    row = next(r for r in group["items"] if r["name"] == project.project_name)
    assert (row["units"], row["target"], row["quarter_marks"]) == (
        "สนย.",
        "8 หน่วยงาน",
        ["√", "√", "√", "√"],
    )


def test_another_organisations_planner_cannot_add_a_strategic_project(
    client: Client, open_round: Round
) -> None:
    plan = OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    url = reverse("agreements:strategic_projects", args=[plan.pk])
    response = signed_in(client, "bic-planner").post(url, {"project_name": "x"})
    assert response.status_code in (403, 404)
    assert not Indicator.objects.filter(project_name="x").exists()


def test_units_changed_by_another_planner_since_the_page_opened_are_not_overwritten_silently(
    client: Client, open_round: Round
) -> None:
    project = Indicator.objects.get(project_name=INQAAHE)
    url = reverse("agreements:strategic_project_edit", args=[project.pk])
    planner = signed_in(client, "planner")
    opened = planner.get(url).context["form"].initial

    def form(*codes: str, **extra: Any) -> dict[str, Any]:
        units = [str(Organization.objects.get(code=c).pk) for c in codes]
        data = {k: "" if v is None else v for k, v in opened.items() if k != "units"}
        return {**data, "units": units, **extra}

    # Meanwhile, in another tab, the project is given to ภนย. alone.
    other = signed_in(Client(), "planner")
    assert other.post(url, form("onesqa-phny")).status_code == 302
    # The first planner's page still shows the old units; their save of other units is refused,
    # saying who changed them, and keeps what they typed.
    refused = planner.post(url, form("onesqa-sny"))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "หน่วยงานรับผิดชอบของโครงการนี้ถูกแก้ไขโดย" in page
    assert [r.organization.code for r in project.responsibilities.all()] == ["onesqa-phny"]
    # Saved again from that page, it knowingly goes over the other change.
    again = refused.context["form"].data
    assert planner.post(url, again).status_code == 302
    assert [r.organization.code for r in project.responsibilities.all()] == ["onesqa-sny"]


def test_a_kpi_no_document_prints_is_no_ones_work(client: Client, open_round: Round) -> None:
    """A KPI in no agreement and under no strategy (one taken out of its agreement after its
    results were reported, say) feeds no report: it leaves my work and the reminders."""
    project = Indicator.objects.get(project_name=INQAAHE)

    def mine() -> list[str]:
        response = signed_in(client, "reporter").get(reverse("progress:my_work"))
        return [row.name for row in response.context["work"].to_report.rows]

    assert INQAAHE in mine()
    Indicator.objects.filter(pk=project.pk).update(strategy=None)
    assert INQAAHE not in mine()
    report = quarterly_report("onesqa", 2567, 6).model_dump()
    printed = {p["name"] for s in report["strategic"]["strategies"] for p in s["projects"]}
    assert INQAAHE not in printed
