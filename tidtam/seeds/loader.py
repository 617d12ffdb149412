"""Loads the reference frameworks and the two seed agencies from the JSON files in seeds/data/.

Everything goes through the same services people use, so the percentages in the database are
recomputed by tidtam from raw quantities and amounts, not copied from the documents.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from tidtam.agreements.models import (
    Agreement,
    AgreementClause,
    AgreementKPI,
    Indicator,
    IndicatorOwner,
    IndicatorResponsibility,
    IndicatorResult,
    IndicatorSeriesValue,
    KPIGroup,
    ScoringLevel,
)
from tidtam.agreements.services import agreement_check_weights, indicator_result_percent
from tidtam.budgets.models import (
    BudgetCategory,
    BudgetLine,
    BudgetSpending,
    CabinetTarget,
    FundSource,
)
from tidtam.domain import fiscal
from tidtam.orgs.models import Organization, Person
from tidtam.periods.models import FiscalYear, Round
from tidtam.periods.services import fiscal_year_with_rounds
from tidtam.plans.models import (
    Activity,
    OperatingPlan,
    Output,
    PlannedMilestone,
    WorkItem,
)
from tidtam.policies.models import PolicyFramework, PolicyNode
from tidtam.progress.services import progress_entry_save
from tidtam.reporting import stored_percent
from tidtam.reports.models import ITAItem

DATA_DIR = Path(__file__).resolve().parent / "data"

# The reference file's sections, as (framework code, edition, level).
REFERENCE_FRAMEWORKS = {
    "national_strategy": (
        "national-strategy",
        "2561-2580",
        PolicyFramework.Level.NATIONAL_STRATEGY,
    ),
    "master_plans": ("master-plans", "2566-2580", PolicyFramework.Level.NATIONAL_PLAN),
    "nesdp_13_milestones": ("nesdp", "13", PolicyFramework.Level.NATIONAL_PLAN),
    "pmqa_4_0_categories": ("pmqa", "4.0", PolicyFramework.Level.ASSESSMENT),
}

# Seed 004 (FY2564) cites the frameworks in force then: the first edition of the master plans,
# the 12th development plan, the reform plan, the 2562 government policy, and the ministry's own.
SEED_004_FRAMEWORKS = {
    "national_strategy": (
        "national-strategy",
        "2561-2580",
        "ยุทธศาสตร์ชาติ พ.ศ. 2561 - 2580",
        1,
        None,
    ),
    "master_plans": (
        "master-plans",
        "2561-2580",
        "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ พ.ศ. 2561 - 2580",
        2,
        None,
    ),
    "nesdp12": ("nesdp", "12", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 12 (พ.ศ. 2560 - 2564)", 2, None),
    "reform": ("national-reform", "2561", "แผนการปฏิรูปประเทศ", 2, None),
    "government_policy": (
        "government-policy",
        "2562",
        "นโยบายรัฐบาล (แถลงต่อรัฐสภา พ.ศ. 2562)",
        2,
        None,
    ),
    "ops_strategy": ("ops-strategy", "2564", "แผนยุทธศาสตร์สำนักงานปลัดกระทรวงศึกษาธิการ", 3, "ops"),
    "moe_indicators": ("moe-indicators", "2564", "ตัวชี้วัดกระทรวงศึกษาธิการ", 3, "moe"),
    "pmqa": ("pmqa", "4.0", "เกณฑ์คุณภาพการบริหารจัดการภาครัฐ 4.0 (PMQA 4.0)", 4, None),
}


def read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def dec(value: str | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def req(value: str | int) -> Decimal:
    """A decimal the data must give (an amount, a weight, points)."""
    return Decimal(str(value))


def fiscal_year(year: int) -> FiscalYear:
    # No schedule: every organisation's deadline is the Budget Bureau's default, 15 days after
    # the quarter ends (tidtam.periods.calendar), and the round is closed.
    fy, _ = fiscal_year_with_rounds(year)
    return fy


def round_of(fy: FiscalYear, months: int) -> Round:
    return Round.objects.get(fiscal_year=fy, months=months)


@transaction.atomic
def load_reference() -> None:
    data = read("policy-frameworks.json")
    for key, (code, version, level) in REFERENCE_FRAMEWORKS.items():
        section = data[key]
        framework, _ = PolicyFramework.objects.get_or_create(
            code=code, version=version, defaults={"name": section["title"], "level": level}
        )
        for order, item in enumerate(section["items"]):
            PolicyNode.objects.get_or_create(
                framework=framework,
                code=item["code"],
                defaults={"name": item["name"], "order": order},
            )
    for item in data["budget_expense_types"]["items"]:
        BudgetCategory.objects.get_or_create(
            organization=None,
            code=item["code"],
            defaults={
                "name": item["name"],
                "standard_type": item["code"],
                "nature": "investment" if item.get("group") == "ลงทุน" else "recurrent",
            },
        )
    for item in data["cabinet_disbursement_targets_seen"]["items"]:
        CabinetTarget.objects.get_or_create(
            fiscal_year=fiscal_year(item["fy"]),
            quarter=item["quarter"],
            defaults={
                "overall_percent": dec(item["overall"]),
                "recurrent_percent": dec(item.get("recurrent")),
                "investment_percent": dec(item.get("investment")),
                "source": "ตัวอย่างจากรายงานที่เผยแพร่ (ข้อมูลอ้างอิง)",
            },
        )


def load_ita_items() -> None:
    for item in read("ita-items.json")["items"]:
        ITAItem.objects.get_or_create(
            year=item["year"],
            publication=item["publication"],
            defaults={"code": item["code"], "title": item["title"], "asks": item["asks"]},
        )


def load_all() -> list[str]:
    """Load everything that is not there yet; say what was done, in Thai."""
    done = []
    load_reference()
    load_ita_items()
    done.append("ข้อมูลอ้างอิง: ยุทธศาสตร์ชาติ แผนแม่บท แผนพัฒนาฯ ฉบับที่ 13 PMQA 4.0 ประเภทงบรายจ่าย รหัสข้อ ITA")
    for code, loader in (("onesqa", load_onesqa), ("ops-bic", load_ops_bic)):
        if Organization.objects.filter(code=code).exists():
            done.append(f"{code}: มีข้อมูลอยู่แล้ว ไม่โหลดซ้ำ")
        else:
            loader()
            done.append(f"{code}: โหลดข้อมูลแล้ว")
    return done


# --- seed 000: ONESQA's 6-month report, FY2567 -------------------------------------------


@transaction.atomic
def load_onesqa(data: dict[str, Any] | None = None) -> OperatingPlan:
    data = data or read("onesqa_2567.json")
    org_data = data["organization"]
    org = Organization.objects.create(
        code=org_data["code"],
        name=org_data["name"],
        short_name=org_data["short_name"],
        kind=org_data["kind"],
    )
    units = {}
    for unit in data["units"]:
        units[unit["short_name"]] = Organization.objects.create(
            code=unit["code"],
            name=unit["name"],
            short_name=unit["short_name"],
            kind=Organization.Kind.DIVISION,
            parent=org,
            note=unit.get("note", ""),
        )
    fy = fiscal_year(data["fiscal_year"])
    round_ = round_of(fy, data["round_months"])

    strategic = data["strategic_plan"]
    framework = PolicyFramework.objects.create(
        code=strategic["code"],
        version=str(data["fiscal_year"]),
        name=strategic["name"],
        level=PolicyFramework.Level.AGENCY_PLAN,
        owner=org,
    )
    strategies = {
        s["number"]: PolicyNode.objects.create(
            framework=framework, code=str(s["number"]), name=s["name"], order=s["number"]
        )
        for s in data["strategic_plan"]["strategies"]
    }
    plan = OperatingPlan.objects.create(
        organization=org,
        fiscal_year=fy,
        title=f"แผนปฏิบัติงานประจำปีงบประมาณ พ.ศ. {fy.year}",
        strategic_framework=framework,
    )

    lines = {}
    for line in data["budget_lines"]:
        category, _ = BudgetCategory.objects.get_or_create(
            organization=org, code=line["code"], defaults={"name": line["name"]}
        )
        lines[line["code"]] = BudgetLine.objects.create(
            organization=org,
            fiscal_year=fy,
            category=category,
            number=line["number"],
            name=line["name"],
            fund_source=FundSource.standard(),
            annual_plan_baht=req(line["annual_plan_baht"]),
        )
        BudgetSpending.objects.create(
            line=lines[line["code"]],
            round=round_,
            disbursed_baht=req(line["disbursed_baht"]),
            committed_baht=req(line.get("committed_baht", "0")),
            note=line.get("note", ""),
        )

    for output_data in data["outputs"]:
        output = Output.objects.create(
            plan=plan, number=output_data["number"], name=output_data["name"]
        )
        for activity_data in output_data["activities"]:
            activity = Activity.objects.create(
                output=output,
                number=activity_data["number"],
                name=activity_data["name"],
                name_note=activity_data.get("name_note", ""),
            )
            for number, item in enumerate(activity_data["items"], start=1):
                _work_item(plan, activity, number, item, lines, round_)

    for project in data["strategic_projects"]:
        _strategic_project(org, fy, round_, project, strategies, units)
    return plan


def _work_item(
    plan: OperatingPlan,
    activity: Activity,
    number: int,
    item: dict[str, Any],
    lines: dict[str, BudgetLine],
    round_: Round,
) -> WorkItem:
    target = item.get("target") or {}
    work_item = WorkItem.objects.create(
        plan=plan,
        activity=activity,
        number=number,
        kind=item["kind"],
        name=item["name"],
        target_quantity=dec(target.get("quantity")),
        target_unit=target.get("unit", ""),
        target_text=target.get("text", ""),
        budget_line=lines.get(item.get("budget_line") or ""),
        group_name=item.get("group", ""),
        # Seed 000's later-quarter projects have their work planned in quarters 3-4.
        later_quarter_from=3 if item.get("later_quarter") else None,
        excluded=item.get("excluded", False),
        exclusion_reason=item.get("exclusion_reason", ""),
        is_placeholder=item.get("placeholder", False),
        source_note=item.get("source_note", ""),
    )
    for months, milestone in (item.get("milestones") or {}).items():
        PlannedMilestone.objects.create(
            work_item=work_item,
            round_months=int(months),
            text=milestone.get("text", ""),
            planned_quantity=dec(milestone.get("quantity")),
        )
    for months, entry in (item.get("progress") or {}).items():
        if int(months) != round_.months:
            continue
        progress_entry_save(
            work_item=work_item,
            round_=round_,
            result_text=entry.get("result_text", ""),
            result_text_annual=entry.get("result_text_annual", ""),
            result_quantity=dec(entry.get("result_quantity")),
            percent_method=entry["percent_method"],
            percent_round=dec(entry.get("percent_round")),
            percent_annual=dec(entry.get("percent_annual")),
            percent_note=entry.get("percent_note", ""),
            explanation=entry.get("explanation", ""),
            # The seed's round closed long ago: its results are history being loaded.
            in_closed_round=True,
        )
    return work_item


def _strategic_project(
    org: Organization,
    fy: FiscalYear,
    round_: Round,
    project: dict[str, Any],
    strategies: dict[int, PolicyNode],
    units: dict[str, Organization],
) -> Indicator:
    indicator = Indicator.objects.create(
        organization=org,
        fiscal_year=fy,
        number=project["number"],
        name=project["indicator"],
        project_name=project["name"],
        measure_kind=Indicator.MeasureKind.QUANTITY,
        unit=project.get("target_unit", ""),
        target_value=dec(project.get("target_quantity")),
        target_text=project["target_text"],
        strategy=strategies[project["strategy"]],
    )
    for order, unit in enumerate(project["responsible_units"]):
        IndicatorResponsibility.objects.create(
            indicator=indicator, organization=units[unit], order=order
        )
    result = IndicatorResult(
        indicator=indicator,
        round=round_,
        value=dec(project.get("result_quantity")),
        percent=dec(project.get("result_percent")),
        percent_method="" if project["percent_method"] == "none" else project["percent_method"],
        narrative=project.get("narrative", ""),
    )
    result.percent = stored_percent(indicator_result_percent(indicator, result))
    result.save()
    return indicator


# --- seed 004: the Bureau of International Cooperation's agreement, FY2564 -----------------


@transaction.atomic
def load_ops_bic(data: dict[str, Any] | None = None) -> Agreement:
    data = data or read("ops_bic_2564.json")
    orgs: dict[str, Organization] = {}
    for org_data in data["organizations"]:
        existing = Organization.objects.filter(code=org_data["code"]).first()
        orgs[org_data["code"]] = existing or Organization.objects.create(
            code=org_data["code"],
            name=org_data["name"],
            short_name=org_data.get("short_name", ""),
            kind=org_data["kind"],
            parent=orgs.get(org_data.get("parent") or ""),
            note=org_data.get("_note", ""),
        )
    fy = fiscal_year(data["fiscal_year"])

    nodes = _seed_004_nodes(data["policy_nodes"], orgs)
    agreement_data = data["agreement"]
    # The maker's organisation is the one whose agreement this is.
    org = orgs[agreement_data["maker"]["organization"]]
    receiver = _person(agreement_data["receiver"], orgs)
    maker = _person(agreement_data["maker"], orgs)
    scoring = agreement_data["scoring"]
    agreement = Agreement.objects.create(
        organization=org,
        fiscal_year=fy,
        title=agreement_data["title"],
        subtitle=agreement_data.get("subtitle", ""),
        receiver=receiver,
        receiver_position=agreement_data["receiver"]["position"],
        maker=maker,
        maker_position=agreement_data["maker"]["position"],
        period_start=date.fromisoformat(agreement_data["period_start"]),
        period_end=date.fromisoformat(agreement_data["period_end"]),
        signed_on=date.fromisoformat(agreement_data["signed_on"]),
        scheme=scoring["scheme"],
        interpolation=scoring["interpolation"],
        below_lowest_points=req(scoring["below_lowest"]),
        linkage_table=data.get("linkage_table", {}),
    )
    for number, text in enumerate(agreement_data["clauses"], start=1):
        AgreementClause.objects.create(agreement=agreement, number=number, text=text)
    level_names = {level["rank"]: level["name"] for level in scoring["levels"]}
    for order, group_data in enumerate(agreement_data["groups"]):
        group = KPIGroup.objects.create(
            agreement=agreement,
            code=group_data["code"],
            name=group_data["name"],
            weight=req(group_data["weight"]),
            order=order,
        )
        for kpi_data in group_data["kpis"]:
            _kpi(agreement, group, kpi_data, nodes, orgs, level_names)
    agreement_check_weights(agreement)
    return agreement


def _seed_004_nodes(
    items: list[dict[str, Any]], orgs: dict[str, Organization]
) -> dict[tuple[str, str], PolicyNode]:
    nodes: dict[tuple[str, str], PolicyNode] = {}
    for order, item in enumerate(items):
        code, version, name, level, owner = SEED_004_FRAMEWORKS[item["framework"]]
        framework, _ = PolicyFramework.objects.get_or_create(
            code=code,
            version=version,
            defaults={"name": name, "level": level, "owner": orgs.get(owner or "")},
        )
        parent = nodes.get((item["framework"], item.get("parent") or ""))
        node, _ = PolicyNode.objects.get_or_create(
            framework=framework,
            code=item["code"],
            defaults={"name": item["name"], "order": order, "parent": parent},
        )
        nodes[(item["framework"], item["code"])] = node
    return nodes


def _person(data: dict[str, Any], orgs: dict[str, Organization]) -> Person:
    person, _ = Person.objects.get_or_create(
        first_name=data["first_name"],
        last_name=data.get("last_name", ""),
        defaults={
            "prefix": data.get("prefix", ""),
            "position": data.get("position", ""),
            "organization": orgs[data["organization"]],
            "office_phone": data.get("office_phone", ""),
        },
    )
    return person


def _lines(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value or "")


def _kpi(
    agreement: Agreement,
    group: KPIGroup,
    data: dict[str, Any],
    nodes: dict[tuple[str, str], PolicyNode],
    orgs: dict[str, Organization],
    level_names: dict[int, str],
) -> AgreementKPI:
    indicator = Indicator.objects.create(
        organization=agreement.organization,
        fiscal_year=agreement.fiscal_year,
        number=data["number"],
        name=data["name"],
        measure_kind=data["measure_kind"],
        direction=data.get("direction", "higher"),
        unit=data.get("unit", ""),
        previous_result=data.get("previous_result", ""),
        description=_lines(data.get("description")),
        definitions=_lines(data.get("definitions")),
        data_sources=_lines(data.get("data_sources")),
        conditions=_lines(data.get("conditions")),
        steps=_lines(data.get("steps")),
        benefit=_lines(data.get("benefit")),
        other_sections=data.get("other_sections") or [],
    )
    indicator.policy_nodes.set(
        [nodes[(link["framework"], link["code"])] for link in data.get("policy_links", [])]
    )
    for series_key, series in (
        ("baseline", data.get("baseline")),
        ("roadmap", data.get("roadmap")),
    ):
        for row_order, row in enumerate((series or {}).get("rows", [])):
            for year, text in row["values"].items():
                IndicatorSeriesValue.objects.create(
                    indicator=indicator,
                    series=series_key,
                    row_label=row.get("label", ""),
                    row_order=row_order,
                    fiscal_year=fiscal.check_be_year(int(year), field="ปีงบประมาณ"),
                    value=_number_or_none(text),
                    text=str(text),
                )
    for order, owner in enumerate(data.get("owners", [])):
        IndicatorOwner.objects.create(
            indicator=indicator,
            person=_person({**owner, "organization": agreement.organization.code}, orgs),
            order=order,
        )
    kpi = AgreementKPI.objects.create(
        group=group,
        indicator=indicator,
        number=data["number"],
        weight=req(data["weight"]),
        linkage_text=data.get("linkage_text", ""),
    )
    for level in data["levels"]:
        ScoringLevel.objects.create(
            kpi=kpi,
            rank=level["rank"],
            name=level_names.get(level["rank"], ""),
            points=req(level["points"]),
            description=level.get("description", ""),
            threshold=dec(level.get("threshold")),
        )
    return kpi


def _number_or_none(text: object) -> Decimal | None:
    try:
        return Decimal(str(text).replace(",", ""))
    except ArithmeticError:
        return None
