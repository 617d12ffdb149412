"""An agreement started from scratch in the browser's forms (สมศ. has none to copy): the
organisation, the year, its parties and scheme; then a group, a KPI, its weight; and the
agreement document made from it. Refused in Thai for a year that has one, for an organisation
the person does not plan, and for a person who plans nowhere."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import run_report, signed_in
from tidtam.agreements.models import Agreement, AgreementKPI, KPIGroup
from tidtam.orgs.models import Organization, Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def onesqa() -> Organization:
    return Organization.objects.get(code="onesqa")


def start_data(**changes: str) -> dict[str, str]:
    people = Person.objects.filter(organization=onesqa()).order_by("pk")
    maker, receiver = people[0], people[1]
    data = {
        "organization": str(onesqa().pk),
        "fiscal_year": "๒๕๖๗",
        "title": "",
        "maker": str(maker.pk),
        "maker_position": "ผู้อำนวยการ",
        "receiver": str(receiver.pk),
        "receiver_position": "ประธานกรรมการ",
        "scheme": "three_level",
    }
    return data | changes


def test_a_planner_starts_an_agreement_from_scratch_and_it_becomes_a_document() -> None:
    assert not Agreement.objects.filter(organization=onesqa()).exists()
    planner = signed_in(Client(), "planner")
    url = reverse("agreements:agreement_add")
    assert "เริ่มคำรับรองใหม่" in planner.get(reverse("agreements:agreement_list")).content.decode()
    page = planner.get(url, {"organization": onesqa().pk}).content.decode()
    assert 'name="maker"' in page and 'name="scheme"' in page
    response = planner.post(url, start_data())
    agreement = Agreement.objects.get(organization=onesqa(), fiscal_year__year=2567)
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:agreement_edit", args=[agreement.pk])
    assert agreement.title == (f"คำรับรองการปฏิบัติราชการ {onesqa().name} ประจำปีงบประมาณ พ.ศ. 2567")
    assert (agreement.period_start.isoformat(), agreement.period_end.isoformat()) == (
        "2023-10-01",
        "2024-09-30",
    )
    # A group and a KPI through the editor's own forms, then the weights in one save.
    planner.post(reverse("agreements:group_add", args=[agreement.pk]), {"name": "ด้านคุณภาพ"})
    group = KPIGroup.objects.get(agreement=agreement)
    added = planner.post(
        reverse("agreements:kpi_add", args=[group.pk]),
        {
            "name": "จำนวนสถานศึกษาที่ได้รับการประเมิน",
            "measure_kind": "quantity",
            "direction": "higher",
            "unit": "แห่ง",
            "target_value": "1,000",
            "target_text": "1,000 แห่ง",
        },
    )
    assert added.status_code == 302
    kpi = AgreementKPI.objects.get(group=group)
    weights = {
        f"group-{group.pk}-name": group.name,
        f"group-{group.pk}-weight": "100",
        f"kpi-{kpi.pk}-weight": "100",
        "weights_version": "",
    }
    saved = planner.post(reverse("agreements:agreement_weights", args=[agreement.pk]), weights)
    assert saved.status_code == 302, html.unescape(saved.content.decode())[:2000]
    document = run_report("agreement", "--org", "onesqa", "--fy", "2567", "--format", "json")
    assert agreement.title in str(document["cover"])
    shown = str(document)
    assert "ด้านคุณภาพ" in shown and "จำนวนสถานศึกษาที่ได้รับการประเมิน" in shown


def test_a_second_agreement_for_the_year_and_an_outsider_are_refused_in_thai() -> None:
    planner = signed_in(Client(), "planner")
    url = reverse("agreements:agreement_add")
    assert planner.post(url, start_data()).status_code == 302
    again = planner.post(url, start_data(title="อีกฉบับ"))
    assert again.status_code == 400
    assert "มีคำรับรองการปฏิบัติราชการของปีงบประมาณ 2567 อยู่แล้ว" in html.unescape(again.content.decode())
    assert Agreement.objects.filter(organization=onesqa()).count() == 1
    # สต.'s planner cannot start one for สมศ.; a reporter plans nowhere.
    outsider = signed_in(Client(), "bic-planner").post(url, start_data(fiscal_year="2568"))
    assert outsider.status_code == 400
    assert "คุณไม่ได้เป็นผู้วางแผนของหน่วยงานนี้" in html.unescape(outsider.content.decode())
    assert signed_in(Client(), "reporter").get(url).status_code == 403
    assert not Agreement.objects.filter(organization=onesqa(), fiscal_year__year=2568).exists()


def test_a_ce_year_is_refused_with_the_be_year_to_type() -> None:
    response = signed_in(Client(), "planner").post(
        reverse("agreements:agreement_add"), start_data(fiscal_year="2024")
    )
    assert response.status_code == 400
    assert "พ.ศ." in html.unescape(response.content.decode())
