"""/public/: a planner publishes, anyone reads without signing in, as it stood when published.

The public pages, the CSV and the JSON are cacheable by anyone; the JSON is the document's own
content and the CSV its main table; nothing personal is in them; a withdrawn document is gone;
only the organisation's planner publishes or withdraws."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from typing import Any
from unittest.mock import patch

import pytest
from django.test import Client, override_settings

from tests.app.conftest import signed_in
from tidtam.orgs.models import Person
from tidtam.plans.models import WorkItem
from tidtam.portal import opendata, services
from tidtam.portal.models import Publication
from tidtam.reports.documents import DOCUMENTS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def publish(client: Client, document: str, org: str = "onesqa", year: int | str = 2567) -> str:
    response = client.post(
        "/public/manage/publish/", {"org": org, "year": str(year), "document": document}
    )
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_a_planner_publishes_and_anyone_reads_it_as_published() -> None:
    planner = signed_in(Client(), "planner")
    with override_settings(DEMO_TODAY="2024-04-08"):
        page = publish(planner, "ita-plan")
        assert "เผยแพร่ITA: แผนการดำเนินงานและการใช้จ่ายงบประมาณประจำปีแล้ว" in page
        publish(planner, "ita-progress")
    citizen = Client()
    index = citizen.get("/public/")
    assert index.status_code == 200 and "public" in index["Cache-Control"]
    assert "/public/onesqa/2567/" in index.content.decode()

    year_page = citizen.get("/public/onesqa/2567/")
    html = year_page.content.decode()
    assert year_page.status_code == 200 and "max-age=300" in year_page["Cache-Control"]
    plan_content = DOCUMENTS["ita-plan"].content("onesqa", 2567).model_dump(mode="json")
    assert f"ITA {plan_content['ita']['code']}" in html
    assert "ดาวน์โหลด CSV" in html

    document = citizen.get("/public/onesqa/2567/ita-plan/")
    assert document.status_code == 200 and plan_content["title"] in document.content.decode()

    data = citizen.get("/public/onesqa/2567/ita-plan.json")
    assert data.status_code == 200 and "public" in data["Cache-Control"]
    assert json.loads(data.content) == plan_content

    table = citizen.get("/public/onesqa/2567/ita-plan.csv")
    assert table.status_code == 200 and "public" in table["Cache-Control"]
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == opendata.PLAN_COLUMNS
    assert len(rows) - 1 == plan_content["item_count"]
    budgets = [r[6] for r in rows[1:] if r[6]]
    assert sum(float(b) for b in budgets) == pytest.approx(
        sum(float(g["budget_baht"]) for g in plan_content["groups"])
    )
    progress = citizen.get("/public/onesqa/2567/ita-progress.csv")
    rows = list(csv.reader(io.StringIO(progress.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == opendata.BUDGET_COLUMNS and len(rows) > 1
    report = DOCUMENTS["ita-progress"].content("onesqa", 2567).model_dump(mode="json")
    assert sum(float(r[2]) for r in rows[1:]) == pytest.approx(
        float(report["budget"]["total"]["plan_baht"])
    )
    assert [r[6] for r in rows[1:]] == [
        line["percent_disbursed_text"] for line in report["budget"]["lines"]
    ]


def test_the_public_reads_the_published_copy_until_it_is_published_again() -> None:
    planner = signed_in(Client(), "planner")
    publish(planner, "ita-plan")
    item = WorkItem.objects.filter(plan__organization__code="onesqa", excluded=False).first()
    assert item is not None
    old_name = item.name
    item.name = "โครงการที่เปลี่ยนชื่อหลังเผยแพร่"
    item.save()
    citizen = Client()
    assert old_name in citizen.get("/public/onesqa/2567/ita-plan.json").content.decode()
    # The page is made once from the published copy and kept (for every server process).
    made = []
    real = services.render

    def counted(*args: Any, **kwargs: Any) -> bytes:
        made.append(args[1])
        return real(*args, **kwargs)

    with patch.object(services, "render", counted):
        for _ in range(2):
            assert old_name in citizen.get("/public/onesqa/2567/ita-plan/").content.decode()
        assert made == ["html"]
        publish(planner, "ita-plan")
        assert (
            "โครงการที่เปลี่ยนชื่อหลังเผยแพร่"
            in citizen.get("/public/onesqa/2567/ita-plan.json").content.decode()
        )
        page = citizen.get("/public/onesqa/2567/ita-plan/").content.decode()
        assert "โครงการที่เปลี่ยนชื่อหลังเผยแพร่" in page and old_name not in page
        assert made == ["html", "html"]
    # The copy it replaced stays in the record, withdrawn, with who and when.
    copies = Publication.objects.filter(organization__code="onesqa", document="ita-plan")
    assert copies.count() == 2
    assert copies.filter(withdrawn_at__isnull=False, withdrawn_by__username="planner").count() == 1


def test_nothing_personal_is_published() -> None:
    publish(signed_in(Client(), "planner"), "ita-plan")
    citizen = Client()
    text = citizen.get("/public/onesqa/2567/ita-plan.json").content.decode()
    text += citizen.get("/public/onesqa/2567/ita-plan.csv").content.decode("utf-8-sig")
    text += citizen.get("/public/onesqa/2567/ita-plan/").content.decode()
    people = Person.objects.filter(organization__code__startswith="onesqa")
    assert people.exists()
    for person in people:
        assert person.full_name not in text
        if person.office_phone:
            assert person.office_phone not in text


def test_a_withdrawn_document_is_gone_and_only_the_planner_publishes() -> None:
    planner = signed_in(Client(), "planner")
    publish(planner, "ita-plan")
    publication = Publication.objects.get(organization__code="onesqa", withdrawn_at__isnull=True)

    # Another organisation's planner does not see it; a reporter may not.
    assert (
        signed_in(Client(), "bic-planner")
        .post(f"/public/manage/{publication.pk}/withdraw/")
        .status_code
        == 404
    )
    reporter = signed_in(Client(), "reporter")
    response = reporter.post(
        "/public/manage/publish/", {"org": "onesqa", "year": "2567", "document": "ita-annual"}
    )
    assert "คุณไม่มีสิทธิ์เผยแพร่เอกสารของ สมศ." in reporter.get(response["Location"]).content.decode()
    assert not Publication.objects.filter(document="ita-annual").exists()
    assert Client().get("/public/manage/").status_code == 302  # to sign in

    assert planner.post(f"/public/manage/{publication.pk}/withdraw/").status_code == 302
    citizen = Client()
    assert citizen.get("/public/onesqa/2567/").status_code == 404
    assert citizen.get("/public/onesqa/2567/ita-plan.json").status_code == 404
    assert "/public/onesqa/" not in citizen.get("/public/").content.decode()


def test_a_document_that_cannot_be_made_is_refused_in_thai_and_nothing_is_published() -> None:
    planner = signed_in(Client(), "planner")
    page = publish(planner, "ita-plan", year=2599)
    assert "alert-danger" in page
    page = publish(planner, "quarterly")
    assert "เอกสาร &quot;quarterly&quot; เผยแพร่ต่อสาธารณะไม่ได้" in page
    page = publish(planner, "ita-plan", year="abc")  # it said "the year 0 is out of range"
    assert "&quot;abc&quot; ในช่อง &quot;ปีงบประมาณ&quot; ไม่ใช่ปี" in page
    assert not Publication.objects.exists()


@pytest.mark.usefixtures("office")
def test_the_pdf_is_made_from_the_published_copy_once_and_kept() -> None:
    publish(signed_in(Client(), "planner"), "ita-plan")
    item = WorkItem.objects.filter(plan__organization__code="onesqa", excluded=False).first()
    assert item is not None
    published_name = item.name
    item.name = "ชื่อใหม่หลังการเผยแพร่"
    item.save()
    citizen = Client()
    response = citizen.get("/public/onesqa/2567/ita-plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "public" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    squashed = "".join(text.split())
    assert "".join(published_name.split())[:20] in squashed
    assert "ชื่อใหม่หลังการเผยแพร่" not in squashed
    kept = Publication.objects.get(withdrawn_at__isnull=True, document="ita-plan").pdf.name
    again = citizen.get("/public/onesqa/2567/ita-plan.pdf")
    assert b"".join(again.streaming_content) == data
    assert Publication.objects.get(withdrawn_at__isnull=True, document="ita-plan").pdf.name == kept
