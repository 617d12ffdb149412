"""The agreement editor through HTTP, on seed 004 (สต.'s FY2564 agreement: 60 = 4 × 15, 40 = 10 + 6 × 5).

The cast (tests/app/conftest.py): bic-planner plans สต.; moe-planner plans the ministry above it;
planner plans สมศ., another organisation, and must not even learn that สต.'s agreement exists.
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import signed_in
from tidtam.agreements.models import (
    Agreement,
    AgreementKPI,
    Indicator,
    IndicatorOwner,
    KPIGroup,
    ScoringLevel,
)
from tidtam.orgs.models import Organization, Person, RoleAssignment
from tidtam.policies.models import PolicyNode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

PERFORMANCE = "การประเมินประสิทธิผลการดำเนินงาน (Performance Base)"
POTENTIAL = "การประเมินศักยภาพในการดำเนินงาน (Potential Base)"
HUMAN_CAPITAL = "ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์"
SECURITY = "ยุทธศาสตร์ชาติด้านความมั่นคง"


@pytest.fixture
def agreement() -> Agreement:
    return Agreement.objects.get(organization__code="ops-bic", fiscal_year__year=2564)


def kpi(agreement: Agreement, number: int) -> AgreementKPI:
    return AgreementKPI.objects.select_related("indicator").get(
        group__agreement=agreement, number=number
    )


def text(response: Any) -> str:
    """The page as a person reads it: entities such as &quot; turned back into characters."""
    return html.unescape(response.content.decode())


def weights(agreement: Agreement, **changes: str) -> dict[str, str]:
    """The editor's weights form as the page fills it, with some boxes retyped: k1="20" is
    KPI 1's weight, g_potential="45" the Potential group's, del_k11="on" ticks KPI 11's removal."""
    data: dict[str, str] = {}
    for group in agreement.groups.all():
        data[f"group-{group.pk}-name"] = group.name
        data[f"group-{group.pk}-weight"] = changes.get(f"g_{group.code}", f"{group.weight:f}")
        for item in group.kpis.all():
            data[f"kpi-{item.pk}-weight"] = changes.get(f"k{item.number}", f"{item.weight:f}")
            if changes.get(f"del_k{item.number}"):
                data[f"kpi-{item.pk}-delete"] = "on"
    return data


def grant(username: str, role: str, org_code: str = "ops-bic") -> None:
    """Give a cast member a role on สต. for one test (rolled back with it)."""
    RoleAssignment.objects.create(
        person=Person.objects.get(user__username=username),
        organization=Organization.objects.get(code=org_code),
        role=role,
    )


def test_the_list_shows_agreements_by_organisation_and_year_to_those_who_read_them(
    client: Client, agreement: Agreement
) -> None:
    page = text(signed_in(client, "bic-planner").get(reverse("agreements:agreement_list")))

    assert agreement.title in page
    assert "สต." in page
    assert "2564" in page
    assert reverse("agreements:agreement_detail", args=[agreement.pk]) in page

    other = text(signed_in(Client(), "planner").get(reverse("agreements:agreement_list")))
    assert agreement.title not in other


def test_the_agreement_page_shows_both_groups_and_all_eleven_kpis(
    client: Client, agreement: Agreement
) -> None:
    response = signed_in(client, "bic-planner").get(
        reverse("agreements:agreement_detail", args=[agreement.pk])
    )
    page = text(response)

    assert response.status_code == 200
    assert PERFORMANCE in page
    assert POTENTIAL in page
    assert page.count('aria-label="แก้ไขตัวชี้วัดที่') == 11
    assert "นายสมทรง งามวงษ์" in page
    assert "10 กุมภาพันธ์ 2564" in page


def test_the_live_preview_names_the_group_whose_kpi_weights_do_not_add_up(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    url = reverse("agreements:agreement_weights_preview", args=[agreement.pk])

    response = client.post(url, weights(agreement, k1="20"), headers={"HX-Request": "true"})
    page = text(response)

    assert response.status_code == 200
    assert (
        f'น้ำหนักตัวชี้วัดในกลุ่ม "{PERFORMANCE}" รวมได้ 65 แต่ต้องเท่ากับ 60 — '
        "แก้น้ำหนักของตัวชี้วัดในกลุ่มนี้ให้รวมกันได้ 60"
    ) in page
    assert f'ในกลุ่ม "{POTENTIAL}"' not in page
    assert "<html" not in page, "htmx swaps in the summary only"
    # The sums the planner sees: 60 against 65, 40 against 40, 100 in total.
    assert [cell.split("<")[0] for cell in page.split('data-sum="kpi-sum">')[1:]] == ["65", "40"]
    assert 'data-sum="total">100<' in page
    assert kpi(agreement, 1).weight == 15, "a preview saves nothing"


def test_the_preview_reads_thai_digits_and_says_when_everything_adds_up(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    url = reverse("agreements:agreement_weights_preview", args=[agreement.pk])

    page = text(client.post(url, weights(agreement, k1="๑๕", k5="๑๐")))

    assert "น้ำหนักรวมกันได้ครบทุกองค์ประกอบและรวม 100" in page

    wrong_total = text(client.post(url, weights(agreement, g_potential="45", k5="15")))
    assert "น้ำหนักของทุกกลุ่มตัวชี้วัดรวมได้ 105 แต่ต้องเท่ากับ 100" in wrong_total

    not_a_number = text(client.post(url, weights(agreement, k5="สิบ")))
    assert '"สิบ" ไม่ใช่ตัวเลข' in not_a_number


def test_the_editor_form_posts_to_the_preview_as_the_planner_types(
    client: Client, agreement: Agreement
) -> None:
    page = text(
        signed_in(client, "bic-planner").get(
            reverse("agreements:agreement_edit", args=[agreement.pk])
        )
    )

    assert (
        f'hx-post="{reverse("agreements:agreement_weights_preview", args=[agreement.pk])}"' in page
    )
    assert 'hx-trigger="input changed delay:300ms, change"' in page
    assert 'id="weight-summary"' in page
    assert "น้ำหนักรวมกันได้ครบทุกองค์ประกอบและรวม 100" in page
    # Every weight box has a label naming what it weighs.
    assert page.count(">น้ำหนักตัวชี้วัดที่") == 11


def test_saving_weights_that_do_not_add_up_changes_nothing_and_shows_what_was_typed(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    k5 = kpi(agreement, 5)
    eleven = kpi(agreement, 11)
    data = weights(agreement, k1="10", k2="20", k5="12", del_k11="on")

    response = client.post(reverse("agreements:agreement_weights", args=[agreement.pk]), data)
    page = text(response)

    assert response.status_code == 400
    assert (
        f'น้ำหนักตัวชี้วัดในกลุ่ม "{POTENTIAL}" รวมได้ 37 แต่ต้องเท่ากับ 40 — แก้น้ำหนักของตัวชี้วัดในกลุ่มนี้ให้รวมกันได้ 40'
    ) in page
    assert "ยังไม่มีการเปลี่ยนแปลงใดถูกบันทึก" in page
    assert f'name="kpi-{k5.pk}-weight" value="12"' in page
    assert (
        f'name="kpi-{eleven.pk}-delete" class="form-check-input" id="id_kpi-{eleven.pk}-delete" checked'
        in page
    )
    # Performance Base added up (10 + 20 + 15 + 15): still nothing of it was saved.
    assert kpi(agreement, 1).weight == 15
    assert kpi(agreement, 2).weight == 15
    assert kpi(agreement, 5).weight == 10
    assert AgreementKPI.objects.filter(pk=eleven.pk).exists()


def test_a_weight_change_that_adds_up_is_saved_with_history(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    one = kpi(agreement, 1)
    before = one.history.count()

    response = client.post(
        reverse("agreements:agreement_weights", args=[agreement.pk]),
        weights(agreement, g_performance="55", k1="10", g_potential="45", k5="15"),
    )

    assert response.status_code == 302
    assert KPIGroup.objects.get(agreement=agreement, code="performance").weight == 55
    assert KPIGroup.objects.get(agreement=agreement, code="potential").weight == 45
    assert kpi(agreement, 1).weight == 10
    assert kpi(agreement, 5).weight == 15
    assert one.history.count() == before + 1
    assert kpi(agreement, 2).history.count() == 1, "unchanged rows are not rewritten"
    follow = text(client.get(response["Location"]))
    assert "บันทึกน้ำหนักแล้ว" in follow


def test_a_planner_adds_a_group_and_a_kpi_then_moves_weight_to_them_in_one_save(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")

    added = client.post(
        reverse("agreements:group_add", args=[agreement.pk]), {"name": "การประเมินด้านนวัตกรรม"}
    )
    group = KPIGroup.objects.get(agreement=agreement, name="การประเมินด้านนวัตกรรม")
    assert added.status_code == 302
    assert (group.weight, group.order) == (0, 2)

    new = client.post(
        reverse("agreements:kpi_add", args=[group.pk]),
        {
            "name": "จำนวน\u200bนวัตกรรมที่นำไปใช้",
            "measure_kind": "quantity",
            "direction": "higher",
            "unit": "เรื่อง",
            "target_value": "๓",
            "target_text": "3 เรื่อง",
        },
    )
    created = AgreementKPI.objects.select_related("indicator").get(group=group)
    indicator = created.indicator
    assert new.status_code == 302
    assert new["Location"] == reverse("agreements:kpi_levels", args=[created.pk])
    assert (created.number, created.weight) == (12, 0)
    assert indicator.name == "จำนวนนวัตกรรมที่นำไปใช้", "zero-width space removed"
    assert (indicator.organization.code, indicator.fiscal_year.year) == ("ops-bic", 2564)
    assert (indicator.target_value, indicator.unit) == (Decimal(3), "เรื่อง")
    assert [(lv.rank, lv.name, lv.points) for lv in created.levels.all()] == [
        (1, "ขั้นต้น", 50),
        (2, "มาตรฐาน", 75),
        (3, "ขั้นสูง", 100),
    ]

    eleven = kpi(agreement, 11)
    data = weights(agreement, g_potential="35", del_k11="on")
    data[f"group-{group.pk}-weight"] = "5"
    data[f"kpi-{created.pk}-weight"] = "5"
    saved = client.post(reverse("agreements:agreement_weights", args=[agreement.pk]), data)

    assert saved.status_code == 302
    assert not AgreementKPI.objects.filter(pk=eleven.pk).exists()
    assert not Indicator.objects.filter(pk=eleven.indicator_id).exists(), "no results: removed"
    assert AgreementKPI.objects.get(pk=created.pk).weight == 5
    assert [g.weight for g in agreement.groups.all()] == [60, 35, 5]


def cover(agreement: Agreement, **changes: object) -> dict[str, object]:
    """The cover form as the page fills it for the agreement, with `changes`."""
    data: dict[str, object] = {
        "title": agreement.title,
        "subtitle": agreement.subtitle,
        "receiver": agreement.receiver_id,
        "receiver_position": agreement.receiver_position,
        "maker": agreement.maker_id,
        "maker_position": agreement.maker_position,
        "period_start": "1/10/2563",
        "period_end": "30/09/2564",
        "signed_on": "",
        "scheme": agreement.scheme,
        "interpolation": agreement.interpolation,
        "below_lowest_points": "0",
        "weighting": "of_max",
        "score_places": "4",
    }
    data.update(changes)
    return data


def test_the_cover_takes_be_dates_and_refuses_a_period_that_ends_before_it_starts(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    url = reverse("agreements:agreement_edit", args=[agreement.pk])
    data = cover(
        agreement,
        maker_position="ผู้อำนวยการสำนักความสัมพันธ์ต่างประเทศ",
        period_end="30 ก.ย. 2564",
        signed_on="๑๒/๐๒/๒๕๖๔",
        scheme="three_level",
        interpolation="linear",
    )

    assert client.post(url, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.signed_on.isoformat() == "2021-02-12"
    assert agreement.interpolation == "linear"
    assert agreement.maker_position == "ผู้อำนวยการสำนักความสัมพันธ์ต่างประเทศ"

    reversed_period = client.post(url, {**data, "period_end": "30/09/2563", "signed_on": ""})
    page = text(reversed_period)
    assert reversed_period.status_code == 400
    assert "วันเริ่มต้น (1 ตุลาคม 2563) อยู่หลังวันสิ้นสุด (30 กันยายน 2563)" in page
    assert 'value="30/09/2563"' in page
    agreement.refresh_from_db()
    assert agreement.period_end.isoformat() == "2021-09-30"
    assert agreement.signed_on.isoformat() == "2021-02-12"

    ce = text(client.post(url, {**data, "period_start": "1/10/2020"}))
    assert 'ปี 2020 ในช่อง "เริ่มตั้งแต่วันที่" ดูเหมือนเป็นปี ค.ศ.' in ce


def level_data(item: AgreementKPI, *rows: tuple[str, str]) -> dict[str, str]:
    """The levels form: (points, threshold) per existing level in rank order, no new level."""
    levels = list(item.levels.all())
    data = {
        "levels-TOTAL_FORMS": str(len(levels) + 1),
        "levels-INITIAL_FORMS": str(len(levels)),
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "1000",
    }
    for index, (level, (points, threshold)) in enumerate(zip(levels, rows, strict=True)):
        data |= {
            f"levels-{index}-level_id": str(level.pk),
            f"levels-{index}-name": level.name,
            f"levels-{index}-points": points,
            f"levels-{index}-threshold": threshold,
            f"levels-{index}-description": level.description,
        }
    return data


def test_levels_out_of_order_are_refused_with_the_thai_message_and_nothing_changes(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    four = kpi(agreement, 4)  # 6 / 8 / 10 projects for 50 / 75 / 100 points
    url = reverse("agreements:kpi_levels", args=[four.pk])

    page = text(client.get(url))
    assert 'value="6"' in page and 'value="10"' in page

    refused = client.post(url, level_data(four, ("50", "6"), ("75", "5"), ("100", "10")))
    assert refused.status_code == 400
    assert (
        'เกณฑ์การให้คะแนนของตัวชี้วัด "ตัวชี้วัดที่ 4" เรียงไม่ถูกต้องที่ระดับ 2 — ระดับที่สูงขึ้นต้องได้คะแนนมากขึ้น'
    ) in text(refused)
    assert [lv.threshold for lv in four.levels.all()] == [6, 8, 10]

    missing = client.post(url, level_data(four, ("50", "6"), ("75", ""), ("100", "10")))
    assert 'ระดับ 2 ของตัวชี้วัด "ตัวชี้วัดที่ 4" ยังไม่มีค่าเป้าหมาย' in text(missing)

    saved = client.post(url, level_data(four, ("50", "7"), ("75", "9"), ("100", "๑๒")))
    assert saved.status_code == 302
    assert [(lv.rank, lv.points, lv.threshold) for lv in four.levels.all()] == [
        (1, 50, 7),
        (2, 75, 9),
        (3, 100, 12),
    ]


def test_removing_the_lowest_level_moves_the_others_down(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    four = kpi(agreement, 4)
    first, second, third = four.levels.all()
    data = level_data(four, ("50", "6"), ("75", "8"), ("100", "10"))
    data["levels-0-DELETE"] = "on"

    response = client.post(reverse("agreements:kpi_levels", args=[four.pk]), data)

    assert response.status_code == 302
    assert not ScoringLevel.objects.filter(pk=first.pk).exists()
    assert [(lv.pk, lv.rank, lv.threshold) for lv in four.levels.all()] == [
        (second.pk, 1, 8),
        (third.pk, 2, 10),
    ]


def test_policy_search_finds_a_node_by_a_thai_word_inside_its_name(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    indicator = kpi(agreement, 4).indicator
    url = reverse("agreements:indicator_policy_search", args=[indicator.pk])

    # "เสริมสร้างศักยภาพ" sits in the middle of strategy 3's name, written without spaces.
    page = text(client.get(url, {"q": "เสริมสร้างศักยภาพ"}, headers={"HX-Request": "true"}))

    assert HUMAN_CAPITAL in page
    assert SECURITY not in page
    assert "<html" not in page

    # Typed with a space, or pasted with a zero-width space, it still matches.
    assert HUMAN_CAPITAL in text(client.get(url, {"q": "เสริมสร้าง ศักยภาพ"}))
    assert HUMAN_CAPITAL in text(client.get(url, {"q": "เสริมสร้าง\u200bศักยภาพ"}))
    assert "ไม่พบหัวข้อที่มีคำว่า" in text(client.get(url, {"q": "ดาวอังคาร"}))


def test_nodes_ticked_but_hidden_by_a_search_are_kept_and_saved(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    indicator = kpi(agreement, 4).indicator
    human = PolicyNode.objects.get(name=HUMAN_CAPITAL)
    security = PolicyNode.objects.get(name=SECURITY)
    search = reverse("agreements:indicator_policy_search", args=[indicator.pk])

    page = text(client.get(search, {"q": "ศักยภาพทรัพยากร", "nodes": [human.pk, security.pk]}))
    assert f'<input type="hidden" name="nodes" value="{security.pk}">' in page
    assert f'value="{human.pk}" id="node-{human.pk}" checked' in page

    response = client.post(
        reverse("agreements:indicator_policy", args=[indicator.pk]),
        {"nodes": [human.pk, security.pk], "strategy": ""},
    )

    assert response.status_code == 302
    assert set(indicator.policy_nodes.all()) == {human, security}


def test_owners_are_saved_in_the_order_given(client: Client, agreement: Agreement) -> None:
    signed_in(client, "bic-planner")
    indicator = kpi(agreement, 4).indicator  # จิตรลดา, กนกวรรณ
    people = {p.first_name: p for p in Person.objects.filter(organization__code="ops-bic")}
    url = reverse("agreements:indicator_owners", args=[indicator.pk])
    rows = [("กนกวรรณ", "2"), ("จิตรลดา", "3"), ("วิมล", "1")]
    data = {
        "owners-TOTAL_FORMS": "4",
        "owners-INITIAL_FORMS": "2",
        "owners-MIN_NUM_FORMS": "0",
        "owners-MAX_NUM_FORMS": "1000",
        "owners-3-person": "",
        "owners-3-order": "",
    }
    for index, (name, order) in enumerate(rows):
        data[f"owners-{index}-person"] = str(people[name].pk)
        data[f"owners-{index}-order"] = order

    response = client.post(url, data)

    assert response.status_code == 302
    assert [
        (o.person.first_name, o.order) for o in IndicatorOwner.objects.filter(indicator=indicator)
    ] == [("วิมล", 0), ("กนกวรรณ", 1), ("จิตรลดา", 2)]

    twice = dict(data, **{"owners-2-person": str(people["กนกวรรณ"].pk)})
    refused = client.post(url, twice)
    assert refused.status_code == 400
    assert '"นางสาวกนกวรรณ แก้วนันทน์" ถูกเลือกเป็นผู้รับผิดชอบตัวชี้วัด' in text(refused)
    assert IndicatorOwner.objects.filter(indicator=indicator).count() == 3


def test_a_kpi_sheet_is_edited_and_its_number_stays_unique(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    four = kpi(agreement, 4)
    url = reverse("agreements:kpi_edit", args=[four.pk])
    data = {
        "number": "4",
        "name": four.indicator.name,
        "measure_kind": "quantity",
        "direction": "higher",
        "unit": "โครงการ",
        "target_value": "10",
        "target_text": "10 โครงการ",
        "previous_result": "8 โครงการ",
        "linkage_text": "",
        "description": "บรรทัดแรก\n\n\nบรรทัดที่สอง",
    }

    assert client.post(url, data).status_code == 302
    indicator = Indicator.objects.get(pk=four.indicator_id)
    assert (indicator.unit, indicator.target_value) == ("โครงการ", 10)
    assert indicator.description == "บรรทัดแรก\n\nบรรทัดที่สอง"

    taken = client.post(url, {**data, "number": "5"})
    assert taken.status_code == 400
    assert "คำรับรองนี้มีตัวชี้วัดที่ 5 อยู่แล้ว" in text(taken)
    assert kpi(agreement, 4).pk == four.pk

    lower = client.post(url, {**data, "direction": "lower"})
    assert lower.status_code == 400
    assert 'เกณฑ์การให้คะแนนของตัวชี้วัด "ตัวชี้วัดที่ 4" เรียงไม่ถูกต้องที่ระดับ 2' in text(lower)
    assert Indicator.objects.get(pk=four.indicator_id).direction == "higher"


def agreement_urls(agreement: Agreement) -> list[str]:
    """Every page of the editor, on สต.'s objects."""
    group = agreement.groups.first()
    four = kpi(agreement, 4)
    assert group is not None
    return [
        reverse("agreements:agreement_detail", args=[agreement.pk]),
        reverse("agreements:agreement_edit", args=[agreement.pk]),
        reverse("agreements:agreement_weights", args=[agreement.pk]),
        reverse("agreements:agreement_weights_preview", args=[agreement.pk]),
        reverse("agreements:group_add", args=[agreement.pk]),
        reverse("agreements:kpi_add", args=[group.pk]),
        reverse("agreements:kpi_edit", args=[four.pk]),
        reverse("agreements:kpi_levels", args=[four.pk]),
        reverse("agreements:indicator_owners", args=[four.indicator_id]),
        reverse("agreements:indicator_policy", args=[four.indicator_id]),
        reverse("agreements:indicator_policy_search", args=[four.indicator_id]),
    ]


def test_another_organisations_planner_is_told_the_agreement_does_not_exist(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "planner")  # plans สมศ.

    for url in agreement_urls(agreement):
        assert client.get(url).status_code == 404, url
        assert client.post(url, weights(agreement, k1="20")).status_code == 404, url
    assert kpi(agreement, 1).weight == 15


def test_the_ministrys_planner_sees_and_edits_the_bureaus_agreement(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "moe-planner")

    for url in agreement_urls(agreement):
        if "/weights/preview/" in url or "/groups/add/" in url:
            continue
        assert client.get(url).status_code in (200, 302), url
    response = client.post(
        reverse("agreements:agreement_weights", args=[agreement.pk]),
        weights(agreement, k1="14", k2="16"),
    )
    assert response.status_code == 302
    assert (kpi(agreement, 1).weight, kpi(agreement, 2).weight) == (14, 16)


@pytest.mark.parametrize("username, role", [("auditor", "auditor"), ("executive", "executive")])
def test_auditors_and_executives_read_the_agreement_but_changes_are_refused(
    client: Client, agreement: Agreement, username: str, role: str
) -> None:
    grant(username, role)
    signed_in(client, username)

    detail = client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    assert detail.status_code == 200
    assert "แก้ไขคำรับรอง" not in text(detail)
    for url in agreement_urls(agreement)[1:]:
        response = client.post(url, weights(agreement, k1="14", k2="16"))
        assert response.status_code == 403, url
        assert "อ่านอย่างเดียว" in text(response)
    assert kpi(agreement, 1).weight == 15


def test_a_reporter_of_the_bureau_reads_the_agreement_but_may_not_edit_it(
    client: Client, agreement: Agreement
) -> None:
    grant("reporter", "reporter")
    signed_in(client, "reporter")

    assert (
        client.get(reverse("agreements:agreement_detail", args=[agreement.pk])).status_code == 200
    )
    for url in agreement_urls(agreement)[1:]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, weights(agreement, k1="14", k2="16")).status_code == 403, url
    assert kpi(agreement, 1).weight == 15


def two_planners() -> tuple[Client, Client]:
    """สต.'s planner, and a superuser who changes the same thing first."""
    from django.contrib.auth import get_user_model

    chief = get_user_model().objects.create_superuser("chief", "chief@example.invalid", "x")
    admin = Client()
    admin.force_login(chief)
    return signed_in(Client(), "bic-planner"), admin


def hidden(page: str, name: str) -> str:
    """The value of the page's hidden field `name` (a form's version)."""
    marker = f'name="{name}" value="'
    return page[page.index(marker) + len(marker) :].split('"', 1)[0]


def test_two_planners_on_one_cover_the_second_is_told_what_changed(agreement: Agreement) -> None:
    planner, admin = two_planners()
    url = reverse("agreements:agreement_edit", args=[agreement.pk])
    opened = text(planner.get(url))
    version = hidden(opened, "version")
    data = cover(agreement, version=version)
    assert admin.post(url, {**data, "maker_position": "ตำแหน่งที่หัวหน้าแก้"}).status_code == 302
    second = planner.post(url, {**data, "maker_position": "ตำแหน่งที่ผู้วางแผนพิมพ์"})
    page = text(second)
    assert second.status_code == 400
    assert "หลังจากที่คุณเปิดแบบฟอร์มนี้" in page and "ตำแหน่งที่หัวหน้าแก้" in page
    assert 'value="ตำแหน่งที่ผู้วางแผนพิมพ์"' in page
    agreement.refresh_from_db()
    assert agreement.maker_position == "ตำแหน่งที่หัวหน้าแก้"
    newer = hidden(page, "version")
    again = planner.post(url, {**data, "maker_position": "ตำแหน่งที่ผู้วางแผนพิมพ์", "version": newer})
    assert again.status_code == 302
    agreement.refresh_from_db()
    assert agreement.maker_position == "ตำแหน่งที่ผู้วางแผนพิมพ์"


def test_two_planners_on_one_kpi_sheet_the_second_is_told_what_changed(
    agreement: Agreement,
) -> None:
    planner, admin = two_planners()
    four = kpi(agreement, 4)
    url = reverse("agreements:kpi_edit", args=[four.pk])
    opened = text(planner.get(url))

    data = {
        "number": "4",
        "name": four.indicator.name,
        "measure_kind": "quantity",
        "direction": "higher",
        "unit": "โครงการ",
        "target_value": "10",
        "target_text": "",
        "previous_result": "",
        "linkage_text": "",
        "version": hidden(opened, "version"),
        "kpi_version": hidden(opened, "kpi_version"),
    }
    assert admin.post(url, {**data, "target_text": "เป้าหมายที่หัวหน้าแก้"}).status_code == 302
    second = planner.post(url, {**data, "target_text": "เป้าหมายที่ผู้วางแผนพิมพ์"})
    page = text(second)
    assert second.status_code == 400
    assert "หลังจากที่คุณเปิดแบบฟอร์มนี้" in page and "เป้าหมายที่หัวหน้าแก้" in page
    assert 'value="เป้าหมายที่ผู้วางแผนพิมพ์"' in page
    assert Indicator.objects.get(pk=four.indicator_id).target_text == "เป้าหมายที่หัวหน้าแก้"
    again = planner.post(
        url,
        {
            **data,
            "target_text": "เป้าหมายที่ผู้วางแผนพิมพ์",
            "version": hidden(page, "version"),
            "kpi_version": hidden(page, "kpi_version"),
        },
    )
    assert again.status_code == 302
    assert Indicator.objects.get(pk=four.indicator_id).target_text == "เป้าหมายที่ผู้วางแผนพิมพ์"


def test_two_planners_on_one_agreements_weights_the_second_is_told_and_keeps_the_typed(
    agreement: Agreement,
) -> None:
    planner, admin = two_planners()
    edit = reverse("agreements:agreement_edit", args=[agreement.pk])
    save = reverse("agreements:agreement_weights", args=[agreement.pk])
    opened = text(planner.get(edit))
    version = hidden(opened, "weights_version")

    # The planner keeps the weights as they were (they add up); the chief moves 5 points.
    mine = weights(agreement)
    k1 = kpi(agreement, 1)
    kept = mine[f"kpi-{k1.pk}-weight"]
    theirs = weights(agreement, g_performance="55", k1="10", g_potential="45", k5="15")
    assert admin.post(save, {**theirs, "weights_version": version}).status_code == 302
    refused = planner.post(save, {**mine, "weights_version": version})
    page = text(refused)
    assert refused.status_code == 400
    assert "ถูกแก้ไขโดย" in page and "หลังจากที่คุณเปิดหน้านี้" in page
    assert f'name="kpi-{k1.pk}-weight" value="{kept}"' in page  # what the planner typed stays
    assert kpi(agreement, 1).weight == 10 and kpi(agreement, 5).weight == 15  # theirs stands
    newer = hidden(page, "weights_version")
    assert newer != version
    again = planner.post(save, {**mine, "weights_version": newer})
    assert again.status_code == 302
    assert f"{kpi(agreement, 1).weight:f}" == kept


def test_two_planners_on_one_kpis_levels_the_second_is_told_and_keeps_the_typed(
    agreement: Agreement,
) -> None:
    planner, admin = two_planners()
    four = kpi(agreement, 4)
    url = reverse("agreements:kpi_levels", args=[four.pk])
    opened = text(planner.get(url))
    version = hidden(opened, "levels_version")
    mine = level_data(four, ("50", "7"), ("75", "9"), ("100", "11"))

    theirs = level_data(four, ("50", "5"), ("75", "8"), ("100", "12"))
    assert admin.post(url, {**theirs, "levels_version": version}).status_code == 302
    refused = planner.post(url, {**mine, "levels_version": version})
    page = text(refused)
    assert refused.status_code == 400
    assert "เกณฑ์การให้คะแนนของตัวชี้วัดนี้ถูกแก้ไขโดย" in page
    assert 'value="11"' in page  # what the planner typed stays
    assert [lv.threshold for lv in four.levels.all()] == [5, 8, 12]
    newer = hidden(page, "levels_version")
    assert newer != version
    again = planner.post(url, {**mine, "levels_version": newer})
    assert again.status_code == 302
    assert [lv.threshold for lv in four.levels.all()] == [7, 9, 11]


def test_two_planners_on_one_kpis_owners_the_second_is_told_and_keeps_the_chosen(
    agreement: Agreement,
) -> None:
    planner, admin = two_planners()
    indicator = kpi(agreement, 4).indicator  # จิตรลดา, กนกวรรณ
    people = {p.first_name: p for p in Person.objects.filter(organization__code="ops-bic")}
    url = reverse("agreements:indicator_owners", args=[indicator.pk])
    opened = text(planner.get(url))
    version = hidden(opened, "owners_version")

    def owners(*names: str) -> dict[str, str]:
        data = {
            "owners-TOTAL_FORMS": str(len(names)),
            "owners-INITIAL_FORMS": "2",
            "owners-MIN_NUM_FORMS": "0",
            "owners-MAX_NUM_FORMS": "1000",
        }
        for index, name in enumerate(names):
            data[f"owners-{index}-person"] = str(people[name].pk)
            data[f"owners-{index}-order"] = str(index + 1)
        return data

    assert admin.post(url, {**owners("กนกวรรณ"), "owners_version": version}).status_code == 302
    refused = planner.post(url, {**owners("วิมล", "จิตรลดา"), "owners_version": version})
    page = text(refused)
    assert refused.status_code == 400
    assert "รายชื่อผู้รับผิดชอบตัวชี้วัดนี้ถูกแก้ไขโดย" in page
    assert f'<option value="{people["วิมล"].pk}" selected>' in page  # the choice stays
    assert [o.person.first_name for o in IndicatorOwner.objects.filter(indicator=indicator)] == [
        "กนกวรรณ"
    ]
    newer = hidden(page, "owners_version")
    assert newer != version
    again = planner.post(url, {**owners("วิมล", "จิตรลดา"), "owners_version": newer})
    assert again.status_code == 302
    assert [o.person.first_name for o in IndicatorOwner.objects.filter(indicator=indicator)] == [
        "วิมล",
        "จิตรลดา",
    ]
