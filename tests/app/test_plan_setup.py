"""Setting up the year's plan through the web pages, as the cast of สมศ. and their neighbours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.app.conftest import open_round_for, signed_in
from tidtam.budgets.models import BudgetCategory, BudgetLine, FundSource
from tidtam.orgs.models import Organization, Person
from tidtam.periods.models import FiscalYear, Round
from tidtam.plans.models import (
    Activity,
    OperatingPlan,
    Output,
    PlannedMilestone,
    WorkItem,
    WorkItemResponsibility,
)
from tidtam.progress.models import PercentMethod, ProgressEntry
from tidtam.progress.services import progress_entry_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายใน"
JOURNAL = "โครงการจัดทำ วารสารวิชาการ นานาชาติ อิเล็กทรอนิกส์"
BIG_DATA = "โครงการจัดทำศูนย์ข้อมูลด้านการประกันคุณภาพการศึกษาของประเทศไทย"


def onesqa_plan() -> OperatingPlan:
    return OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)


def output(number: int) -> Output:
    return Output.objects.get(plan=onesqa_plan(), number=number)


def activity(output_number: int, number: int) -> Activity:
    return Activity.objects.get(output=output(output_number), number=number)


def item_named(start: str) -> WorkItem:
    return WorkItem.objects.get(plan=onesqa_plan(), name__startswith=start)


def as_user(username: str) -> Client:
    client: Client = signed_in(Client(), username)
    return client


def item_form(item: WorkItem, **changes: str) -> dict[str, str]:
    """What the edit page posts when the planner changes only `changes`."""
    data = {
        "name": item.name,
        "kind": item.kind,
        "target_quantity": "" if item.target_quantity is None else str(item.target_quantity),
        "target_unit": item.target_unit,
        "target_text": item.target_text,
        "budget_baht": "" if item.budget_baht is None else str(item.budget_baht),
        "budget_line": str(item.budget_line_id or ""),
        "later_quarter_from": str(item.later_quarter_from or ""),
        "group_name": item.group_name,
    }
    milestones = {m.round_months: m for m in item.milestones.all()}
    for months in (3, 6, 9, 12):
        m = milestones.get(months)
        data[f"m{months}-text"] = m.text if m else ""
        quantity = m.planned_quantity if m else None
        data[f"m{months}-planned_quantity"] = "" if quantity is None else str(quantity)
    data.update(changes)
    return data


# --- reading -------------------------------------------------------------------------------


def test_the_planner_sees_the_plan_by_year_and_its_tree_with_the_seed_names(
    django_assert_max_num_queries: Any,
) -> None:
    client = as_user("planner")
    listing = client.get(reverse("plans:plan_list"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "ปีงบประมาณ พ.ศ. 2567" in page
    assert "แผนปฏิบัติงานประจำปีงบประมาณ พ.ศ. 2567" in page
    assert reverse("plans:plan_detail", kwargs={"plan_id": onesqa_plan().pk}) in page

    # The tree is read in a constant number of queries, whatever the number of items.
    with django_assert_max_num_queries(20):
        response = client.get(reverse("plans:plan_detail", kwargs={"plan_id": onesqa_plan().pk}))
    assert response.status_code == 200
    tree = response.context["tree"]
    assert [node.output.number for node in tree.outputs] == [1, 2, 3, 4, 5]
    assert sum(len(node.activities) for node in tree.outputs) == 11
    # 57 items under activities of which 2 are excluded: the 55 of seed 000's band table.
    assert tree.activity_item_count == 57
    assert tree.excluded_count == 2
    assert tree.activity_item_count - tree.excluded_count == 55
    page = response.content.decode()
    assert "ผลผลิตที่ 2 การประเมินคุณภาพ ภายนอกสถานศึกษา" in page
    assert JOURNAL in page
    assert "เงินตอบแทนของผู้อำนวยการ" in page
    # The strategic projects are KPIs, on their own page (with their units as documents print
    # them): the plan links to it.
    assert BIG_DATA not in page
    strategic_url = reverse("agreements:strategic_projects", kwargs={"plan_id": onesqa_plan().pk})
    assert strategic_url in page
    strategic = client.get(strategic_url).content.decode()
    assert BIG_DATA in strategic and "สสพ./ภทส." in strategic


# --- adding and editing --------------------------------------------------------------------


def test_the_planner_adds_an_output_an_activity_and_a_work_item() -> None:
    client = as_user("planner")
    plan = onesqa_plan()
    response = client.post(
        reverse("plans:output_add", kwargs={"plan_id": plan.pk}), {"name": "ผลผลิตทดลอง"}
    )
    assert response.status_code == 302
    new_output = Output.objects.get(plan=plan, name="ผลผลิตทดลอง")
    assert new_output.number == 6

    client.post(
        reverse("plans:activity_add", kwargs={"output_id": new_output.pk}),
        {"name": "กิจกรรมทดลอง", "name_note": ""},
    )
    new_activity = Activity.objects.get(output=new_output)
    assert (new_activity.number, new_activity.name) == (1, "กิจกรรมทดลอง")

    response = client.post(
        reverse("plans:work_item_add", kwargs={"activity_id": new_activity.pk}),
        {"kind": "programme", "name": "แผนงานทดลอง"},
    )
    item = WorkItem.objects.get(activity=new_activity)
    assert response["Location"] == reverse("plans:work_item_edit", kwargs={"work_item_id": item.pk})
    assert (item.number, item.kind, item.plan_id) == (1, "programme", plan.pk)

    tree = client.get(reverse("plans:plan_detail", kwargs={"plan_id": plan.pk}))
    assert "ผลผลิตที่ 6 ผลผลิตทดลอง" in tree.content.decode()


def test_the_planner_edits_a_work_item_with_thai_digits_and_its_milestones() -> None:
    client = as_user("planner")
    item = item_named(JOURNAL)
    history_before = item.history.count()
    milestone_history_before = PlannedMilestone.history.filter(work_item_id=item.pk).count()
    response = client.post(
        reverse("plans:work_item_edit", kwargs={"work_item_id": item.pk}),
        item_form(
            item,
            target_quantity="๑,๒๐๐",
            target_unit="บทความ",
            budget_baht="1,500,000.50",
            later_quarter_from="3",
            group_name="วารสาร",
            **{"m12-text": "เผยแพร่ครบ 1,200 บทความ", "m12-planned_quantity": "1200"},
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.target_quantity == Decimal("1200")
    assert item.target_unit == "บทความ"
    assert item.budget_baht == Decimal("1500000.50")
    assert item.later_quarter_from == 3
    assert item.group_name == "วารสาร"
    milestone = PlannedMilestone.objects.get(work_item=item, round_months=12)
    assert milestone.planned_quantity == Decimal("1200")
    assert milestone.text == "เผยแพร่ครบ 1,200 บทความ"
    assert item.history.count() == history_before + 1
    # One history row per milestone that changed (round 12 only).
    assert PlannedMilestone.history.filter(work_item_id=item.pk).count() == (
        milestone_history_before + 1
    )


def test_a_wrong_number_reshows_the_form_with_what_was_typed_and_a_thai_error_by_the_field() -> (
    None
):
    client = as_user("planner")
    item = item_named(JOURNAL)
    response = client.post(
        reverse("plans:work_item_edit", kwargs={"work_item_id": item.pk}),
        item_form(item, name="ชื่อใหม่ที่พิมพ์ไว้", target_quantity="สิบสอง", budget_baht="-5"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "ชื่อใหม่ที่พิมพ์ไว้" in page
    assert 'value="สิบสอง"' in page
    errors = response.context["form"].errors
    assert "ไม่ใช่ตัวเลข" in errors["target_quantity"][0]
    assert "ติดลบไม่ได้" in errors["budget_baht"][0]
    assert 'id="id_target_quantity_error"' in page
    item.refresh_from_db()
    assert item.name == JOURNAL


def test_saving_a_target_or_a_milestone_refreshes_the_stored_percent_of_the_entry() -> None:
    item = item_named(MAINTENANCE)
    round_6 = Round.objects.get(fiscal_year__year=2567, months=6)
    entry = ProgressEntry.objects.get(work_item=item, round=round_6)
    open_round_for(2567, 6)
    # The seed keeps the document's own figures (entered); computed, 5 of 11 and 5 of 9.
    progress_entry_save(
        work_item=item,
        round_=round_6,
        result_text=entry.result_text,
        result_quantity=Decimal(5),
        percent_method=PercentMethod.COMPUTED,
        explanation=entry.explanation,
    )
    entry.refresh_from_db()
    assert (entry.percent_round, entry.percent_annual) == (Decimal("55.5555"), Decimal("45.4545"))

    client = as_user("planner")
    response = client.post(
        reverse("plans:work_item_edit", kwargs={"work_item_id": item.pk}),
        item_form(item, target_quantity="12"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.percent_annual == Decimal("41.6666")  # 5 / 12, cut to 4 decimals
    assert entry.percent_round == Decimal("55.5555")

    milestone = PlannedMilestone.objects.get(work_item=item, round_months=6)
    response = client.post(
        reverse("plans:milestone_edit", kwargs={"milestone_id": milestone.pk}),
        {"text": "8 กิจกรรม", "planned_quantity": "8"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.percent_round == Decimal("62.5000")  # 5 / 8
    page = client.get(reverse("plans:work_item_edit", kwargs={"work_item_id": item.pk}))
    assert "62.50" in page.content.decode()

    # Clearing the target the entry is computed from is refused, and nothing is saved.
    response = client.post(
        reverse("plans:work_item_edit", kwargs={"work_item_id": item.pk}),
        item_form(item, target_quantity=""),
    )
    assert response.status_code == 400
    assert "คำนวณร้อยละไม่ได้" in response.context["form"].errors["target_quantity"][0]
    item.refresh_from_db()
    assert item.target_quantity == Decimal("12")


# --- moving --------------------------------------------------------------------------------


def test_moving_outputs_activities_and_items_renumbers_them() -> None:
    client = as_user("planner")
    plan = onesqa_plan()
    second = output(2)
    client.post(reverse("plans:output_move", kwargs={"output_id": second.pk}), {"direction": "up"})
    assert output(1).pk == second.pk
    assert output(2).name == "การสร้างการรับรู้ ความเข้าใจเพื่อส่งเสริมสนับสนุน การประกันคุณภาพการศึกษา"
    # Moving the first one further up changes nothing.
    client.post(reverse("plans:output_move", kwargs={"output_id": second.pk}), {"direction": "up"})
    assert output(1).pk == second.pk

    third = activity(1, 3)  # output 1 is now the former output 2 (6 activities)
    client.post(
        reverse("plans:activity_move", kwargs={"activity_id": third.pk}), {"direction": "down"}
    )
    third.refresh_from_db()
    assert third.number == 4

    # Activity 2.3 has 20 items; the first goes down one place.
    source = activity(1, 4)  # the former 2.3, moved down above
    first = WorkItem.objects.get(activity=source, number=1)
    client.post(
        reverse("plans:work_item_move", kwargs={"work_item_id": first.pk}), {"direction": "down"}
    )
    first.refresh_from_db()
    assert first.number == 2

    # Moved to another activity: last there, and the activity it left closes the gap.
    target = activity(3, 1)
    response = client.post(
        reverse("plans:work_item_move_to", kwargs={"work_item_id": first.pk}),
        {"target": str(target.pk)},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.activity_id, first.number) == (target.pk, 4)
    assert list(
        WorkItem.objects.filter(activity=source).order_by("number").values_list("number", flat=True)
    ) == list(range(1, 20))
    assert WorkItem.objects.filter(plan=plan).count() == 57


# --- excluding -----------------------------------------------------------------------------


def test_excluding_needs_a_reason_said_in_thai_next_to_the_field() -> None:
    client = as_user("planner")
    item = item_named(JOURNAL)
    url = reverse("plans:work_item_exclude", kwargs={"work_item_id": item.pk})
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    error = response.context["form"].errors["reason"][0]
    assert error.startswith(f'"{JOURNAL}" ถูกระบุว่าไม่นำมาประเมินแต่ยังไม่มีเหตุผล')
    assert 'id="id_reason_error"' in response.content.decode()
    item.refresh_from_db()
    assert not item.excluded

    response = client.post(url, {"reason": "ยกเลิกโครงการตามมติคณะกรรมการ"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.excluded and item.exclusion_reason == "ยกเลิกโครงการตามมติคณะกรรมการ"
    tree = client.get(reverse("plans:plan_detail", kwargs={"plan_id": item.plan_id}))
    assert tree.context["tree"].excluded_count == 3

    client.post(reverse("plans:work_item_include", kwargs={"work_item_id": item.pk}))
    item.refresh_from_db()
    assert not item.excluded and item.exclusion_reason == ""
    assert item.history.all()[0].exclusion_reason == ""
    assert item.history.all()[1].exclusion_reason == "ยกเลิกโครงการตามมติคณะกรรมการ"


# --- responsibilities ----------------------------------------------------------------------


def test_the_planner_assigns_the_reporters_unit_and_person() -> None:
    client = as_user("planner")
    item = item_named(JOURNAL)
    sny = Organization.objects.get(code="onesqa-sny")
    reporter = Person.objects.get(user__username="reporter")
    url = reverse("plans:responsibilities", kwargs={"work_item_id": item.pk})
    response = client.post(url, {"organization": sny.pk, "person": reporter.pk})
    assert response.status_code == 302
    row = WorkItemResponsibility.objects.get(work_item=item)
    assert (row.organization_id, row.person_id, row.order) == (sny.pk, reporter.pk, 0)
    page = client.get(url).content.decode()
    assert "นายสมชาย รายงานผล" in page

    # A person of another unit is refused, in Thai, next to the person field.
    phny = Organization.objects.get(code="onesqa-phny")
    response = client.post(url, {"organization": phny.pk, "person": reporter.pk})
    assert response.status_code == 400
    assert "ไม่ได้สังกัด ภนย." in response.context["form"].errors["person"][0]
    assert WorkItemResponsibility.objects.filter(work_item=item).count() == 1

    client.post(url, {"organization": phny.pk, "person": ""})
    assert list(
        WorkItemResponsibility.objects.filter(work_item=item).values_list(
            "organization__short_name", "order"
        )
    ) == [("สนย.", 0), ("ภนย.", 1)]

    client.post(
        reverse("plans:responsibility_remove", kwargs={"work_item_id": item.pk}),
        {"organization": sny.pk},
    )
    assert list(
        WorkItemResponsibility.objects.filter(work_item=item).values_list(
            "organization__short_name", flat=True
        )
    ) == ["ภนย."]


# --- copying a year ------------------------------------------------------------------------


def test_copying_the_plan_to_a_new_year_copies_its_structure_and_not_its_results() -> None:
    client = as_user("planner")
    plan = onesqa_plan()
    response = client.post(reverse("periods:fiscal_year_add"), {"year": "2568"})
    assert response.status_code == 302
    fy_2568 = FiscalYear.objects.get(year=2568)
    # The fund's line exists in the new year; the other lines do not yet.
    fund = BudgetCategory.objects.get(organization__code="onesqa", code="fund")
    new_line = BudgetLine.objects.create(
        organization=plan.organization,
        fiscal_year=fy_2568,
        category=fund,
        number=1,
        name="งบกองทุน สมศ.",
        fund_source=FundSource.standard(),
        annual_plan_baht=Decimal("12000000.00"),
    )

    url = reverse("plans:plan_copy", kwargs={"plan_id": plan.pk})
    response = client.post(url, {"fiscal_year": fy_2568.pk})
    assert response.status_code == 302
    copy = OperatingPlan.objects.get(organization=plan.organization, fiscal_year=fy_2568)
    assert response["Location"] == reverse("plans:plan_detail", kwargs={"plan_id": copy.pk})
    assert copy.title == "แผนปฏิบัติงานประจำปีงบประมาณ พ.ศ. 2568"
    assert Output.objects.filter(plan=copy).count() == 5
    assert Activity.objects.filter(output__plan=copy).count() == 11
    assert WorkItem.objects.filter(plan=copy).count() == 57
    assert WorkItem.objects.filter(plan=copy, excluded=True).count() == 2
    assert PlannedMilestone.objects.filter(work_item__plan=copy).count() == (
        PlannedMilestone.objects.filter(work_item__plan=plan).count()
    )
    assert WorkItemResponsibility.objects.filter(work_item__plan=copy).count() == (
        WorkItemResponsibility.objects.filter(work_item__plan=plan).count()
    )
    assert ProgressEntry.objects.filter(work_item__plan=copy).count() == 0
    copied = WorkItem.objects.get(plan=copy, name__startswith=MAINTENANCE)
    assert (copied.target_quantity, copied.target_unit) == (Decimal("11"), "กิจกรรม")
    assert WorkItem.objects.filter(plan=copy, budget_line=new_line).count() == 9
    assert WorkItem.objects.filter(plan=copy, budget_line__isnull=False).count() == 9

    # Each item keeps its units in the order documents print them.
    def units(of: OperatingPlan) -> dict[tuple[int, int, int], list[str]]:
        return {
            (i.activity.output.number, i.activity.number, i.number): [
                r.organization.label for r in i.responsibilities.order_by("order")
            ]
            for i in WorkItem.objects.filter(plan=of).select_related("activity__output")
        }

    assert units(copy) == units(plan)
    assert sum(len(names) for names in units(copy).values()) == 9  # the cast's units

    response = client.post(url, {"fiscal_year": fy_2568.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["fiscal_year"] == [
        "สมศ. มีแผนปฏิบัติราชการของปีงบประมาณ 2568 อยู่แล้ว — เปิดแผนนั้นเพื่อแก้ไข หรือเลือกปีงบประมาณอื่นที่ยังไม่มีแผน"
    ]
    assert OperatingPlan.objects.filter(organization=plan.organization).count() == 2


# --- who may do what -----------------------------------------------------------------------


def onesqa_kwargs() -> dict[str, int]:
    """One onesqa object for each URL keyword the plan and budget pages use."""
    plan = onesqa_plan()
    item = item_named(MAINTENANCE)
    return {
        "plan_id": plan.pk,
        "output_id": output(2).pk,
        "activity_id": activity(2, 3).pk,
        "work_item_id": item.pk,
        "milestone_id": PlannedMilestone.objects.filter(work_item=item).first().pk,  # type: ignore[union-attr]
        "line_id": BudgetLine.objects.filter(organization__code="onesqa").first().pk,  # type: ignore[union-attr]
        "round_months": 6,
    }


def object_urls(namespace: str) -> list[str]:
    resolver = get_resolver()
    urls = []
    kwargs = onesqa_kwargs()
    for entry in resolver.url_patterns:
        if not isinstance(entry, URLResolver) or entry.namespace != namespace:
            continue
        for pattern in entry.url_patterns:
            assert isinstance(pattern, URLPattern)
            names = list(pattern.pattern.regex.groupindex)
            if names:
                urls.append(
                    reverse(f"{namespace}:{pattern.name}", kwargs={n: kwargs[n] for n in names})
                )
    return urls


@pytest.mark.parametrize("username", ["bic-planner", "moe-planner"])
def test_another_organisations_planner_gets_404_on_every_onesqa_object_url(username: str) -> None:
    client = as_user(username)
    urls = object_urls("plans") + object_urls("budgets")
    assert len(urls) >= 20
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x", "direction": "up"}).status_code == 404, url
    assert onesqa_plan().title not in client.get(reverse("plans:plan_list")).content.decode()


def test_the_auditor_reads_every_page_and_is_refused_every_change() -> None:
    client = as_user("auditor")
    kwargs = onesqa_kwargs()
    for name in ("plan_detail", "plan_copy", "output_edit", "activity_add"):
        key = {"plan_detail": "plan_id", "plan_copy": "plan_id"}.get(name, "output_id")
        response = client.get(reverse(f"plans:{name}", kwargs={key: kwargs[key]}))
        assert response.status_code == 200, name
    page = client.get(
        reverse("plans:work_item_edit", kwargs={"work_item_id": kwargs["work_item_id"]})
    )
    assert page.status_code == 200
    assert "ดูข้อมูลได้อย่างเดียว" in page.content.decode()
    assert "<fieldset disabled>" in page.content.decode()

    item = item_named(MAINTENANCE)
    posts = [
        (reverse("plans:output_add", kwargs={"plan_id": kwargs["plan_id"]}), {"name": "x"}),
        (reverse("plans:work_item_edit", kwargs={"work_item_id": item.pk}), item_form(item)),
        (
            reverse("plans:work_item_exclude", kwargs={"work_item_id": item.pk}),
            {"reason": "ทดลอง"},
        ),
        (reverse("plans:work_item_move", kwargs={"work_item_id": item.pk}), {"direction": "up"}),
        (reverse("plans:plan_copy", kwargs={"plan_id": kwargs["plan_id"]}), {"fiscal_year": "1"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "อ่านอย่างเดียว" in response.content.decode()
    item.refresh_from_db()
    assert not item.excluded and item.number == 4
    assert Output.objects.filter(plan_id=kwargs["plan_id"]).count() == 5


def test_the_reporter_reads_the_plan_and_is_refused_changing_it_or_their_own_item() -> None:
    """The plan belongs to สมศ.; the reporter's role is on สนย., a division of it, so they read
    it (the same-organisation rule, tidtam/orgs/policy.py) but change nothing of it: 403, since
    "not found" would be a lie, with the Thai reason."""
    client = as_user("reporter")
    plan = onesqa_plan()
    page = client.get(reverse("plans:plan_detail", kwargs={"plan_id": plan.pk}))
    assert page.status_code == 200
    response = client.post(reverse("plans:output_add", kwargs={"plan_id": plan.pk}), {"name": "x"})
    assert response.status_code == 403
    assert Output.objects.filter(plan=plan, name="x").count() == 0

    own = WorkItem.objects.filter(
        plan=plan, responsibilities__organization__code="onesqa-sny"
    ).first()
    assert own is not None
    url = reverse("plans:work_item_edit", kwargs={"work_item_id": own.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "ดูข้อมูลได้อย่างเดียว" in page.content.decode()
    response = client.post(url, item_form(own, name="แก้โดยผู้รายงาน"))
    assert response.status_code == 403
    assert "ไม่มีบทบาทที่ทำขั้นตอนนี้ได้" in response.content.decode()
    own.refresh_from_db()
    assert own.name != "แก้โดยผู้รายงาน"

    other = item_named("เงินตอบแทนผันแปร")  # no unit assigned: not theirs, but สมศ.'s
    other_url = reverse("plans:work_item_edit", kwargs={"work_item_id": other.pk})
    assert client.get(other_url).status_code == 200
    assert client.post(other_url, item_form(other, name="แก้โดยผู้รายงาน")).status_code == 403
    # Another agency does not find it at all.
    assert as_user("bic-planner").get(other_url).status_code == 404
