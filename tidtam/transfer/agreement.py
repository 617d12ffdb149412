"""The performance agreement's template: one row per KPI under its group (องค์ประกอบ), keyed by
the KPI's stable key, with its kind, direction, unit, target, base, weight and each level's
threshold; and its import through the agreement editor's services: a KPI's sheet saved with its
versions (agreement_kpi_update), a new KPI or group added (agreement_kpi_add,
agreement_group_add), the levels' thresholds (kpi_levels_save), and the weights of groups and
KPIs saved together and checked to add up (agreement_weights_save), all in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tidtam.agreements import services
from tidtam.agreements.models import Agreement, AgreementKPI, Indicator, KPIGroup, ScoringLevel
from tidtam.concurrency import history_version
from tidtam.domain.errors import DomainError
from tidtam.transfer.engine import (
    Column,
    ImportPlan,
    Meta,
    Problem,
    RowChange,
    Rows,
    build_workbook,
    cell_problem,
)
from tidtam.transfer.plan import shown
from tidtam.transfer.workbook import Sheet, cell_text

KIND = "agreement"
SHEET = "ตัวชี้วัด"
LEVELS = 5
KINDS = dict(Indicator.MeasureKind.choices)
DIRECTIONS = dict(Indicator.Direction.choices)

KEY = "รหัสอ้างอิงตัวชี้วัด"
GROUP = "องค์ประกอบ"
GROUP_WEIGHT = "น้ำหนักองค์ประกอบ (ร้อยละ)"
NUMBER = "ตัวชี้วัดที่"
NAME = "ชื่อตัวชี้วัด"
MEASURE = "ลักษณะการวัด"
DIRECTION = "ทิศทาง"
UNIT = "หน่วยนับ"
TARGET = "ค่าเป้าหมาย"
TARGET_TEXT = "ค่าเป้าหมาย (ตามที่แสดง)"
BASE_YEAR = "ปีฐาน (พ.ศ.)"
BASE = "ค่าฐาน"
WEIGHT = "น้ำหนัก (ร้อยละ)"
THRESHOLDS = {rank: f"เกณฑ์ระดับ {rank}" for rank in range(1, LEVELS + 1)}

COLUMNS = (
    Column(KEY, 18, locked=True),
    Column(GROUP, 30),
    Column(GROUP_WEIGHT, 12, number=True),
    Column(NUMBER, 9, number=True),
    Column(NAME, 50),
    Column(MEASURE, 16, choices=tuple(KINDS.values())),
    Column(DIRECTION, 14, choices=tuple(DIRECTIONS.values())),
    Column(UNIT, 12),
    Column(TARGET, 12, number=True),
    Column(TARGET_TEXT, 20),
    Column(BASE_YEAR, 10, number=True),
    Column(BASE, 12, number=True),
    Column(WEIGHT, 10, number=True),
    *(Column(header, 10, number=True) for header in THRESHOLDS.values()),
)
INSTRUCTIONS = (
    "หนึ่งแถวคือหนึ่งตัวชี้วัดของคำรับรอง ภายใต้องค์ประกอบ (กลุ่ม) ของแถวนั้น",
    "รหัสอ้างอิงตัวชี้วัดถูกล็อกไว้ ห้ามแก้ ตัวชี้วัดใหม่ให้เว้นรหัสว่าง องค์ประกอบใหม่ให้พิมพ์ชื่อใหม่",
    "น้ำหนักของตัวชี้วัดในองค์ประกอบต้องรวมเท่ากับน้ำหนักองค์ประกอบ และน้ำหนักองค์ประกอบรวมกันเท่ากับ 100"
    " (น้ำหนักองค์ประกอบพิมพ์ให้ตรงกันทุกแถวขององค์ประกอบนั้น)",
    "ลักษณะการวัดและทิศทางเลือกจากรายการ เกณฑ์ระดับ 1-5 คือค่าที่ต้องถึงในแต่ละระดับ"
    " (ตัวชี้วัดเชิงปริมาณต้องมีทุกระดับ ระบบ 3 ระดับใช้เฉพาะระดับ 1-3)",
    "ตัวชี้วัดที่ลบออกจากไฟล์ไม่ถูกลบจากคำรับรอง: ลบได้ที่หน้าคำรับรอง",
)


def find_agreement(org_code: str, year: int) -> Agreement:
    agreement = (
        Agreement.objects.filter(organization__code=org_code, fiscal_year__year=year)
        .select_related("organization", "fiscal_year")
        .first()
    )
    if agreement is None:
        raise DomainError("import_no_agreement", org=org_code, year=year)
    return agreement


def _kpis(agreement: Agreement) -> list[AgreementKPI]:
    return list(
        AgreementKPI.objects.filter(group__agreement=agreement)
        .select_related("group", "indicator")
        .prefetch_related("levels")
        .order_by("group__order", "number")
    )


def export(org_code: str, year: int, round_months: int | None = None, user: Any = None) -> bytes:
    agreement = find_agreement(org_code, year)
    rows = []
    for kpi in _kpis(agreement):
        indicator = kpi.indicator
        thresholds = {level.rank: level.threshold for level in kpi.levels.all()}
        rows.append(
            [
                indicator.key,
                kpi.group.name,
                kpi.group.weight,
                kpi.number,
                indicator.name,
                KINDS[indicator.measure_kind],
                DIRECTIONS[indicator.direction],
                indicator.unit,
                indicator.target_value,
                indicator.target_text,
                indicator.base_year,
                indicator.base_value,
                kpi.weight,
                *(thresholds.get(rank) for rank in THRESHOLDS),
            ]
        )
    return build_workbook(
        meta=Meta(KIND, org_code, year),
        title=f"{agreement.title} ({agreement.organization.label} ปีงบประมาณ {year})",
        instructions=INSTRUCTIONS,
        sheet_name=SHEET,
        columns=COLUMNS,
        rows=rows,
    )


# --- import -------------------------------------------------------------------------------


@dataclass
class KpiRow:
    number: int
    key: str
    group: str
    group_weight: Decimal | None
    kpi_number: int | None
    name: str
    measure_kind: str
    direction: str
    unit: str
    target: Decimal | None
    target_text: str
    base_year: int | None
    base: Decimal | None
    weight: Decimal
    thresholds: dict[int, Decimal | None]


def _choice(
    rows: Rows,
    number: int,
    values: list[object],
    header: str,
    labels: dict[str, str],
    problems: list[Problem],
) -> str:
    typed = cell_text(rows.get(values, header))
    value = next((v for v, label in labels.items() if label == typed), None)
    if value is None:
        problems.append(
            cell_problem(
                rows,
                number,
                header,
                DomainError(
                    "import_choice", field=header, value=typed, choices=" / ".join(labels.values())
                ),
            )
        )
        return ""
    return value


def _read_row(
    rows: Rows, number: int, values: list[object], problems: list[Problem]
) -> KpiRow | None:
    before = len(problems)

    def number_of(header: str) -> Decimal | None:
        return rows.number(values, number, header, problems)

    def whole(header: str) -> int | None:
        value = number_of(header)
        if value is not None and value != value.to_integral_value():
            problems.append(
                cell_problem(
                    rows,
                    number,
                    header,
                    DomainError("import_whole_number", field=header, value=shown(value)),
                )
            )
            return None
        return int(value) if value is not None else None

    name = cell_text(rows.get(values, NAME))
    group = cell_text(rows.get(values, GROUP))
    for header, text in ((NAME, name), (GROUP, group)):
        if not text:
            problems.append(
                cell_problem(rows, number, header, DomainError("import_required", field=header))
            )
    row = KpiRow(
        number=number,
        key=cell_text(rows.get(values, KEY)),
        group=group,
        group_weight=number_of(GROUP_WEIGHT),
        kpi_number=whole(NUMBER),
        name=name,
        measure_kind=_choice(rows, number, values, MEASURE, KINDS, problems),
        direction=_choice(rows, number, values, DIRECTION, DIRECTIONS, problems),
        unit=cell_text(rows.get(values, UNIT)),
        target=number_of(TARGET),
        target_text=cell_text(rows.get(values, TARGET_TEXT)),
        base_year=whole(BASE_YEAR),
        base=number_of(BASE),
        weight=number_of(WEIGHT) or Decimal(0),
        thresholds={rank: number_of(header) for rank, header in THRESHOLDS.items()},
    )
    return row if len(problems) == before else None


def read_import(sheets: dict[str, Sheet], meta: Meta, user: Any) -> ImportPlan:
    agreement = find_agreement(meta.org, meta.year)
    result = ImportPlan(
        meta, f"{agreement.title} {agreement.organization.label} ปีงบประมาณ {meta.year}"
    )
    sheet = sheets.get(SHEET)
    if sheet is None:
        raise DomainError("import_sheet_missing", sheet=SHEET)
    rows = Rows(sheet, COLUMNS, result.problems)
    if rows.missing:
        return result
    read = [
        row
        for number, values in rows
        if (row := _read_row(rows, number, values, result.problems)) is not None
    ]
    kpis = {kpi.indicator.key: kpi for kpi in _kpis(agreement)}
    groups = {group.name: group for group in KPIGroup.objects.filter(agreement=agreement)}
    made: dict[str, Any] = {}
    seen: set[str] = set()
    group_weights: dict[str, Decimal] = {}
    for row in read:
        if row.key and row.key not in kpis:
            result.problems.append(
                cell_problem(
                    rows, row.number, KEY, DomainError("import_unknown_key", field=KEY, key=row.key)
                )
            )
            continue
        if row.key in seen:
            result.problems.append(
                cell_problem(rows, row.number, KEY, DomainError("import_key_twice", key=row.key))
            )
            continue
        if row.key:
            seen.add(row.key)
        weight = (
            row.group_weight
            if row.group_weight is not None
            else (groups[row.group].weight if row.group in groups else Decimal(0))
        )
        if group_weights.setdefault(row.group, weight) != weight:
            result.problems.append(
                cell_problem(
                    rows,
                    row.number,
                    GROUP_WEIGHT,
                    DomainError("import_group_weight_differs", group=row.group),
                )
            )
            continue
        kpi = kpis.get(row.key)
        if kpi is None:
            result.changes.append(
                RowChange(
                    sheet.name,
                    row.number,
                    row.name,
                    "add",
                    [(NAME, "-", row.name), (GROUP, "-", row.group)],
                    _adder(agreement, groups, made, row),
                )
            )
            continue
        fields = _kpi_fields(kpi, row)
        if not fields:
            result.changes.append(RowChange(sheet.name, row.number, row.name, "same"))
            continue
        result.changes.append(
            RowChange(
                sheet.name, row.number, row.name, "change", fields, _saver(kpi, row, groups, made)
            )
        )
    result.left_alone += len(set(kpis) - seen)
    others = any(change.action != "same" for change in result.changes)
    weights = _weights_change(
        agreement, read, groups, group_weights, made, kpis, sheet.name, others
    )
    if weights is not None:
        result.changes.append(weights)
    return result


def _kpi_fields(kpi: AgreementKPI, row: KpiRow) -> list[tuple[str, str, str]]:
    indicator = kpi.indicator
    thresholds = {level.rank: level.threshold for level in kpi.levels.all()}
    fields = []
    for label, before, after in (
        (GROUP, kpi.group.name, row.group),
        (NUMBER, kpi.number, row.kpi_number if row.kpi_number is not None else kpi.number),
        (NAME, indicator.name, row.name),
        (MEASURE, KINDS[indicator.measure_kind], KINDS[row.measure_kind]),
        (DIRECTION, DIRECTIONS[indicator.direction], DIRECTIONS[row.direction]),
        (UNIT, indicator.unit, row.unit),
        (TARGET, indicator.target_value, row.target),
        (TARGET_TEXT, indicator.target_text, row.target_text),
        (BASE_YEAR, indicator.base_year, row.base_year),
        (BASE, indicator.base_value, row.base),
        *(
            (THRESHOLDS[rank], thresholds.get(rank), row.thresholds[rank])
            for rank in THRESHOLDS
            if rank in thresholds or row.thresholds[rank] is not None
        ),
    ):
        if before != after and not (before in (None, "") and after in (None, "")):
            fields.append((label, shown(before), shown(after)))
    return fields


def _group_of(
    agreement: Agreement, groups: dict[str, KPIGroup], made: dict[str, Any], name: str
) -> KPIGroup:
    if name in groups:
        return groups[name]
    key = f"group:{name}"
    if key not in made:
        made[key] = services.agreement_group_add(agreement=agreement, name=name)
    return made[key]


def _adder(
    agreement: Agreement, groups: dict[str, KPIGroup], made: dict[str, Any], row: KpiRow
) -> Callable[[], object]:
    def write() -> None:
        kpi = services.agreement_kpi_add(
            group=_group_of(agreement, groups, made, row.group),
            name=row.name,
            measure_kind=row.measure_kind,
            direction=row.direction,
            unit=row.unit,
            target_value=row.target,
            target_text=row.target_text,
            base_year=row.base_year,
            base_value=row.base,
        )
        made[f"row:{row.number}"] = kpi
        if row.kpi_number is not None and row.kpi_number != kpi.number:
            _update(kpi, row, version=None, kpi_version=None)
        _levels(kpi, row)

    return write


def _update(
    kpi: AgreementKPI, row: KpiRow, *, version: int | None, kpi_version: int | None
) -> None:
    indicator = kpi.indicator
    services.agreement_kpi_update(
        kpi=kpi,
        number=row.kpi_number if row.kpi_number is not None else kpi.number,
        name=row.name,
        measure_kind=row.measure_kind,
        direction=row.direction,
        unit=row.unit,
        target_value=row.target,
        target_text=row.target_text,
        previous_result=indicator.previous_result,
        linkage_text=kpi.linkage_text,
        description=indicator.description,
        definitions=indicator.definitions,
        data_sources=indicator.data_sources,
        conditions=indicator.conditions,
        steps=indicator.steps,
        benefit=indicator.benefit,
        base_year=row.base_year,
        base_value=row.base,
        version=version,
        kpi_version=kpi_version,
    )


def _levels(kpi: AgreementKPI, row: KpiRow, expected_version: int | None = None) -> None:
    """The KPI's levels with the thresholds typed (their names, points and texts kept)."""
    levels = list(ScoringLevel.objects.filter(kpi=kpi).order_by("rank"))
    if all(level.threshold == row.thresholds.get(level.rank) for level in levels):
        return
    services.kpi_levels_save(
        kpi=kpi,
        levels=[
            services.LevelDraft(
                level_id=level.pk,
                name=level.name,
                points=level.points,
                threshold=row.thresholds.get(level.rank),
                description=level.description,
            )
            for level in levels
        ],
        expected_version=(
            services.levels_version(kpi) if expected_version is None else expected_version
        ),
    )


def _saver(
    kpi: AgreementKPI, row: KpiRow, groups: dict[str, KPIGroup], made: dict[str, Any]
) -> Callable[[], object]:
    version = history_version(kpi.indicator)
    kpi_version = history_version(kpi)
    levels_version = services.levels_version(kpi)

    def write() -> None:
        if row.group != kpi.group.name:
            kpi.group = _group_of(kpi.group.agreement, groups, made, row.group)
            kpi.save(update_fields=["group"])  # the weights, saved last, must add up again
        _update(kpi, row, version=version, kpi_version=kpi_version)
        _levels(kpi, row, levels_version)

    return write


def _weights_change(
    agreement: Agreement,
    read: list[KpiRow],
    groups: dict[str, KPIGroup],
    group_weights: dict[str, Decimal],
    made: dict[str, Any],
    kpis: dict[str, AgreementKPI],
    sheet: str,
    others: bool,
) -> RowChange | None:
    """Every group's and KPI's weight saved together (they must add up only together)."""
    fields = []
    for name, weight in group_weights.items():
        before = groups[name].weight if name in groups else None
        if before != weight:
            fields.append((f"{GROUP_WEIGHT} {name}", shown(before), shown(weight)))
    for row in read:
        kpi = kpis.get(row.key)
        if kpi is not None and (kpi.weight != row.weight or kpi.group.name != row.group):
            fields.append((f"{WEIGHT} {row.name}", shown(kpi.weight), shown(row.weight)))
        elif kpi is None and row.weight:
            fields.append((f"{WEIGHT} {row.name}", "-", shown(row.weight)))
    if not fields:
        return None
    # The rows' own saves change the agreement first (a new KPI, a group): the weights are then
    # checked against the file's rows, which carry their own versions.
    version = None if others else services.weights_version(agreement)

    def write() -> None:
        by_group: dict[str, list[services.KpiDraft]] = {}
        for row in read:
            kpi = kpis.get(row.key) or made.get(f"row:{row.number}")
            if kpi is not None:
                by_group.setdefault(row.group, []).append(
                    services.KpiDraft(kpi_id=kpi.pk, weight=row.weight)
                )
        drafts = []
        for group in KPIGroup.objects.filter(agreement=agreement).prefetch_related("kpis"):
            listed = {d.kpi_id for d in by_group.get(group.name, [])}
            kept = [
                services.KpiDraft(kpi_id=k.pk, weight=k.weight)
                for k in group.kpis.all()
                if k.pk not in listed
            ]
            drafts.append(
                services.GroupDraft(
                    group_id=group.pk,
                    name=group.name,
                    weight=group_weights.get(group.name, group.weight),
                    kpis=(*by_group.get(group.name, []), *kept),
                )
            )
        services.agreement_weights_save(
            agreement=agreement, groups=drafts, expected_version=version
        )

    return RowChange(sheet, 1, "น้ำหนักขององค์ประกอบและตัวชี้วัด", "change", fields, write)
