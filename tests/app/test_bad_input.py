"""Each rule fails with a coded error whose Thai message names the thing, the field and the fix."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from tests.app.conftest import open_round_for
from tidtam.agreements.models import Agreement, AgreementKPI, IndicatorResult, ScoringLevel
from tidtam.agreements.services import kpi_scheme, kpi_score
from tidtam.budgets.models import BudgetLine, BudgetSpending
from tidtam.budgets.services import budget_spending_save
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear, Round
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry
from tidtam.progress.services import progress_entry_save
from tidtam.seeds.loader import load_ops_bic, read

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def kpi(number: int) -> AgreementKPI:
    return AgreementKPI.objects.select_related("group__agreement", "indicator").get(
        group__agreement__organization__code="ops-bic", number=number
    )


def onesqa_round(months: int = 6) -> Round:
    return Round.objects.get(fiscal_year__year=2567, months=months)


def test_weights_that_do_not_add_up_name_the_group_and_nothing_is_written() -> None:
    data = copy.deepcopy(read("ops_bic_2564.json"))
    renamed = {org["code"]: org["code"] + "-copy" for org in data["organizations"]}
    for org in data["organizations"]:
        org["code"] = renamed[org["code"]]
        org["parent"] = renamed.get(org["parent"] or "")
    for party in ("receiver", "maker"):
        data["agreement"][party]["organization"] = renamed[data["agreement"][party]["organization"]]
    data["agreement"]["groups"][1]["kpis"][0]["weight"] = "12"  # 12 + 6 × 5 = 42, not 40
    before = (Agreement.objects.count(), AgreementKPI.objects.count())
    with pytest.raises(DomainError) as caught:
        load_ops_bic(data)
    assert caught.value.code == "group_weights_mismatch"
    message = message_for(caught.value)
    assert "การประเมินศักยภาพในการดำเนินงาน (Potential Base)" in message
    assert "42" in message and "40" in message
    assert (Agreement.objects.count(), AgreementKPI.objects.count()) == before
    assert not Organization.objects.filter(code__endswith="-copy").exists()


def test_a_ce_year_is_refused_with_the_be_year_to_type() -> None:
    with pytest.raises(CommandError) as caught:
        call_command("report", "quarterly", "--org", "onesqa", "--fy", "2024", "--round", "6")
    assert "ค.ศ." in str(caught.value)
    assert "2567" in str(caught.value)


def test_a_fiscal_year_typed_in_ce_fails_model_validation_in_thai() -> None:
    with pytest.raises(ValidationError) as caught:
        FiscalYear(year=2024).full_clean()
    assert "ค.ศ." in caught.value.message_dict["year"][0]


def test_a_negative_amount_is_refused_and_the_database_refuses_it_too() -> None:
    line = BudgetLine.objects.get(organization__code="onesqa", number=1)
    with pytest.raises(DomainError) as caught:
        budget_spending_save(line=line, round_=onesqa_round(), disbursed_baht=Decimal("-1"))
    assert caught.value.code == "negative_amount"
    assert "เบิกจ่ายสะสม" in message_for(caught.value)
    assert "ติดลบ" in message_for(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetSpending.objects.filter(line=line).update(disbursed_baht=Decimal("-5"))


def test_levels_out_of_order_name_the_kpi_and_the_level() -> None:
    kpi_4 = kpi(4)
    ScoringLevel.objects.filter(kpi=kpi_4, rank=2).update(threshold=Decimal(5))
    with pytest.raises(DomainError) as caught:
        kpi_scheme(kpi_4)
    assert caught.value.code == "levels_out_of_order"
    message = message_for(caught.value)
    assert "ตัวชี้วัดที่ 4" in message


def test_a_missing_explanation_below_50_percent_is_refused_naming_the_project() -> None:
    item = WorkItem.objects.get(plan__organization__code="onesqa", name="โครงการพัฒนาบุคลากร สมศ.")
    entry = ProgressEntry.objects.get(work_item=item, round=onesqa_round())
    open_round_for(2567, 6)  # a closed round would refuse the save before looking at it
    with pytest.raises(DomainError) as caught:
        progress_entry_save(
            work_item=item,
            round_=onesqa_round(),
            result_text=entry.result_text,
            percent_method="entered",
            percent_round=Decimal(50),
            percent_annual=Decimal(25),
            percent_note="ตามที่หน่วยงานรายงาน",
            explanation="   ",
        )
    assert caught.value.code == "explanation_required"
    assert "โครงการพัฒนาบุคลากร สมศ." in message_for(caught.value)
    entry.refresh_from_db()
    assert entry.explanation  # the saved entry is untouched


def test_a_kpi_value_of_the_wrong_kind_is_refused() -> None:
    kpi_1 = kpi(1)  # a milestone ladder: it takes a level reached, not a number
    result = IndicatorResult(
        indicator=kpi_1.indicator,
        round=Round.objects.get(fiscal_year__year=2564, months=12),
        value=Decimal(7),
    )
    with pytest.raises(DomainError) as caught:
        kpi_score(kpi_1, result)
    assert caught.value.code == "kpi_value_wrong_kind"
    assert "ตัวชี้วัดที่ 1" in message_for(caught.value)


def test_an_entered_percent_needs_a_note() -> None:
    item = WorkItem.objects.get(plan__organization__code="onesqa", name="โครงการพัฒนาบุคลากร สมศ.")
    with pytest.raises(DomainError) as caught:
        progress_entry_save(
            work_item=item,
            round_=onesqa_round(),
            percent_method="entered",
            percent_annual=Decimal(60),
        )
    assert caught.value.code == "percent_note_required"
    assert "โครงการพัฒนาบุคลากร สมศ." in message_for(caught.value)


def test_an_unknown_organisation_is_named_in_the_message() -> None:
    with pytest.raises(CommandError) as caught:
        call_command("report", "quarterly", "--org", "nope", "--fy", "2567", "--round", "6")
    assert "nope" in str(caught.value)


def test_scores_follow_the_agreements_interpolation_setting() -> None:
    kpi_4 = kpi(4)
    round_12 = Round.objects.get(fiscal_year__year=2564, months=12)
    result = IndicatorResult(indicator=kpi_4.indicator, round=round_12, value=Decimal(7))
    assert kpi_score(kpi_4, result) == Decimal(50)  # seed 004 scores by step
    Agreement.objects.filter(pk=kpi_4.group.agreement.pk).update(interpolation="linear")
    assert kpi_score(kpi(4), result) == Decimal("62.5")
    result.reviewed_value = Decimal(10)
    assert kpi_score(kpi(4), result, reviewed=True) == Decimal(100)
    milestone = IndicatorResult(indicator=kpi(1).indicator, round=round_12, level_reached=2)
    assert kpi_score(kpi(1), milestone) == Decimal(75)
    milestone.level_reached = 0
    assert kpi_score(kpi(1), milestone) == Decimal(0)


def test_new_spending_recomputes_the_budget_items_that_follow_the_line() -> None:
    line = BudgetLine.objects.get(organization__code="onesqa", name="งบสนับสนุนการดำเนินงาน")
    entries = ProgressEntry.objects.filter(
        work_item__budget_line=line, percent_method="budget_line"
    )
    assert {e.percent_annual for e in entries} == {Decimal("46.6518")}
    budget_spending_save(line=line, round_=onesqa_round(), disbursed_baht=Decimal("26832500.00"))
    assert {e.percent_annual for e in entries.all()} == {Decimal("50.0000")}
    assert {e.percent_round for e in entries.all()} == {Decimal("100.0000")}
