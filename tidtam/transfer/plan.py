"""The plan's template: one row per work item under its output and activity, keyed by stable
keys; and its import, row by row through the plan's services (plans.services): a new output,
activity or item is created, a changed one saved with its version, a unit made responsible or no
longer, an item moved to another activity; what the sheet does not list is left alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs.models import Organization, Person
from tidtam.plans import services
from tidtam.plans.models import (
    Activity,
    OperatingPlan,
    Output,
    PlannedMilestone,
    WorkItem,
    WorkItemResponsibility,
)
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
from tidtam.transfer.workbook import Sheet, cell_text

KIND = "plan"
SHEET = "แผน"
ROUNDS = (3, 6, 9, 12)
KINDS = dict(WorkItem.Kind.choices)

ITEM_KEY = "รหัสอ้างอิงโครงการ"
OUTPUT_KEY = "รหัสอ้างอิงผลผลิต"
OUTPUT_NUMBER = "ผลผลิตที่"
OUTPUT_NAME = "ชื่อผลผลิต"
ACTIVITY_KEY = "รหัสอ้างอิงกิจกรรม"
ACTIVITY_NUMBER = "กิจกรรมที่"
ACTIVITY_NAME = "ชื่อกิจกรรม"
NUMBER = "ลำดับ"
ITEM_KIND = "ประเภท"
NAME = "ชื่อโครงการ / รายการ"
TARGET = "ค่าเป้าหมาย (จำนวน)"
UNIT = "หน่วยนับ"
TARGET_TEXT = "เป้าหมาย (ข้อความ)"
BUDGET = "งบประมาณ (บาท)"
UNITS = "หน่วยงานรับผิดชอบ (รหัส)"
MILESTONES = {months: f"แผนสะสม {months} เดือน (จำนวน)" for months in ROUNDS}

COLUMNS = (
    Column(ITEM_KEY, 18, locked=True),
    Column(OUTPUT_KEY, 16, locked=True),
    Column(OUTPUT_NUMBER, 9, locked=True),
    Column(OUTPUT_NAME, 30),
    Column(ACTIVITY_KEY, 16, locked=True),
    Column(ACTIVITY_NUMBER, 9, locked=True),
    Column(ACTIVITY_NAME, 30),
    Column(NUMBER, 7, locked=True),
    Column(ITEM_KIND, 16, choices=tuple(KINDS.values())),
    Column(NAME, 40),
    Column(TARGET, 14, number=True),
    Column(UNIT, 12),
    Column(TARGET_TEXT, 24),
    Column(BUDGET, 16, number=True),
    Column(UNITS, 20),
    *(Column(header, 14, number=True) for header in MILESTONES.values()),
)
INSTRUCTIONS = (
    "หนึ่งแถวคือหนึ่งโครงการ / แผนงาน / รายการ ภายใต้ผลผลิตและกิจกรรมของแถวนั้น",
    "คอลัมน์ รหัสอ้างอิง ถูกล็อกไว้: เป็นตัวตนของแต่ละแถว ห้ามแก้ ถ้าเพิ่มแถวใหม่ให้เว้นรหัสอ้างอิงโครงการว่าง",
    "แถวใหม่ใต้ผลผลิตหรือกิจกรรมที่มีอยู่: ใส่รหัสอ้างอิงผลผลิต / กิจกรรมของแถวอื่นที่อยู่ใต้ผลผลิต / กิจกรรมเดียวกัน"
    " (คัดลอกได้) ผลผลิตหรือกิจกรรมใหม่: เว้นรหัสว่างแล้วพิมพ์ชื่อ แถวที่ชื่อเดียวกันจะอยู่ใต้ผลผลิต / กิจกรรมเดียวกัน",
    "ย้ายโครงการไปกิจกรรมอื่น: เปลี่ยนรหัสอ้างอิงกิจกรรมของแถวเป็นของกิจกรรมปลายทาง"
    " เลขลำดับ (ผลผลิตที่ กิจกรรมที่ ลำดับ) ระบบกำหนดให้ เปลี่ยนลำดับได้ที่หน้าแผน",
    "ประเภทเลือกจากรายการในช่อง ตัวเลขพิมพ์เป็นตัวเลข แผนรายรอบเป็นจำนวนสะสมตั้งแต่ต้นปีงบประมาณ",
    "หน่วยงานรับผิดชอบให้ใส่รหัสหน่วยงาน คั่นด้วยจุลภาคถ้ามีหลายหน่วยงาน (เรียงตามลำดับที่พิมพ์ในเอกสาร)",
    "แถวที่ลบออกจากไฟล์ไม่ถูกลบจากแผน: ระบบจะไม่เปลี่ยนรายการที่ไม่อยู่ในไฟล์",
)


def find_plan(org_code: str, year: int) -> OperatingPlan:
    plan = (
        OperatingPlan.objects.filter(organization__code=org_code, fiscal_year__year=year)
        .select_related("organization", "fiscal_year")
        .first()
    )
    if plan is None:
        raise DomainError("plan_missing", org=org_code, year=year)
    return plan


def _units_of(plan: OperatingPlan) -> dict[int, list[str]]:
    units: dict[int, list[str]] = {}
    for item_id, code in (
        WorkItemResponsibility.objects.filter(work_item__plan=plan)
        .order_by("work_item_id", "order")
        .values_list("work_item_id", "organization__code")
    ):
        units.setdefault(item_id, []).append(code)
    return units


def _milestones_of(plan: OperatingPlan) -> dict[int, dict[int, PlannedMilestone]]:
    milestones: dict[int, dict[int, PlannedMilestone]] = {}
    for milestone in PlannedMilestone.objects.filter(work_item__plan=plan):
        milestones.setdefault(milestone.work_item_id, {})[milestone.round_months] = milestone
    return milestones


def export(org_code: str, year: int, round_months: int | None = None, user: Any = None) -> bytes:
    """The organisation's plan of the year as a template workbook."""
    plan = find_plan(org_code, year)
    items = (
        WorkItem.objects.filter(plan=plan, activity__isnull=False)
        .select_related("activity__output")
        .order_by("activity__output__number", "activity__number", "number")
    )
    units = _units_of(plan)
    milestones = _milestones_of(plan)
    rows = []
    for item in items:
        activity = item.activity
        assert activity is not None
        output = activity.output
        planned = milestones.get(item.pk, {})
        rows.append(
            [
                item.key,
                output.key,
                output.number,
                output.name,
                activity.key,
                activity.number,
                activity.name,
                item.number,
                KINDS.get(item.kind, item.kind),
                item.name,
                item.target_quantity,
                item.target_unit,
                item.target_text,
                item.budget_baht,
                ", ".join(units.get(item.pk, [])),
                *(
                    planned[months].planned_quantity if months in planned else None
                    for months in ROUNDS
                ),
            ]
        )
    return build_workbook(
        meta=Meta(KIND, org_code, year),
        title=f"แผนปฏิบัติราชการ: {plan.title} ({plan.organization.label} ปีงบประมาณ {year})",
        instructions=INSTRUCTIONS,
        sheet_name=SHEET,
        columns=COLUMNS,
        rows=rows,
    )


# --- import -------------------------------------------------------------------------------


def shown(value: object) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return "-"
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    return str(value)


@dataclass
class ItemRow:
    """One row read and checked: what it says an item should be."""

    number: int
    key: str
    output_key: str
    output_name: str
    activity_key: str
    activity_name: str
    kind: str
    name: str
    target: Decimal | None
    unit: str
    target_text: str
    budget: Decimal | None
    units: list[Organization] | None  # None: the units stay as they are
    milestones: dict[int, Decimal | None]
    # Each round's planned text; None: the texts stay as they are.
    milestone_texts: dict[int, str] | None = None


class _Tree:
    """The plan's outputs and activities, found by key or made once by name for new rows."""

    def __init__(self, plan: OperatingPlan, user: Any) -> None:
        self.plan = plan
        self.user = user
        self.outputs = {o.key: o for o in Output.objects.filter(plan=plan)}
        self.activities = {
            a.key: a for a in Activity.objects.filter(output__plan=plan).select_related("output")
        }
        self.new_outputs: dict[str, Output] = {}
        self.new_activities: dict[tuple[str, str], Activity] = {}

    def output(self, row: ItemRow) -> Output:
        if row.output_key:
            return self.outputs[row.output_key]
        name = row.output_name
        if name not in self.new_outputs:
            self.new_outputs[name] = services.output_create(
                plan=self.plan, name=name, user=self.user
            )
        return self.new_outputs[name]

    def activity(self, row: ItemRow) -> Activity:
        if row.activity_key:
            return self.activities[row.activity_key]
        output = self.output(row)
        slot = (output.key, row.activity_name)
        if slot not in self.new_activities:
            self.new_activities[slot] = services.activity_create(
                output=output, name=row.activity_name, user=self.user
            )
        return self.new_activities[slot]


def _read_row(
    rows: Rows,
    number: int,
    values: list[object],
    problems: list[Problem],
    orgs: dict[str, Organization],
) -> ItemRow | None:
    before = len(problems)

    def number_of(header: str) -> Decimal | None:
        return rows.number(values, number, header, problems)

    kind_label = cell_text(rows.get(values, ITEM_KIND))
    kind = next((value for value, label in KINDS.items() if label == kind_label), None)
    if kind is None and not kind_label:
        problems.append(
            cell_problem(rows, number, ITEM_KIND, DomainError("import_required", field=ITEM_KIND))
        )
    elif kind is None:
        problems.append(
            cell_problem(
                rows,
                number,
                ITEM_KIND,
                DomainError(
                    "import_choice",
                    field=ITEM_KIND,
                    value=kind_label,
                    choices=" / ".join(KINDS.values()),
                ),
            )
        )
    name = cell_text(rows.get(values, NAME))
    if not name:
        problems.append(
            cell_problem(rows, number, NAME, DomainError("import_required", field=NAME))
        )
    units = []
    for code in (
        c.strip() for c in cell_text(rows.get(values, UNITS)).replace("/", ",").split(",")
    ):
        if not code:
            continue
        if code not in orgs:
            problems.append(
                cell_problem(rows, number, UNITS, DomainError("import_unknown_unit", code=code))
            )
        elif orgs[code] not in units:  # a unit named twice is responsible once
            units.append(orgs[code])
    row = ItemRow(
        number=number,
        key=cell_text(rows.get(values, ITEM_KEY)),
        output_key=cell_text(rows.get(values, OUTPUT_KEY)),
        output_name=cell_text(rows.get(values, OUTPUT_NAME)),
        activity_key=cell_text(rows.get(values, ACTIVITY_KEY)),
        activity_name=cell_text(rows.get(values, ACTIVITY_NAME)),
        kind=kind or "",
        name=name,
        target=number_of(TARGET),
        unit=cell_text(rows.get(values, UNIT)),
        target_text=cell_text(rows.get(values, TARGET_TEXT)),
        budget=number_of(BUDGET),
        units=units,
        milestones={months: number_of(header) for months, header in MILESTONES.items()},
    )
    for key, _header, name_header in (
        (row.output_key, OUTPUT_KEY, OUTPUT_NAME),
        (row.activity_key, ACTIVITY_KEY, ACTIVITY_NAME),
    ):
        if not key and not cell_text(rows.get(values, name_header)):
            problems.append(
                cell_problem(
                    rows, number, name_header, DomainError("import_required", field=name_header)
                )
            )
    return row if len(problems) == before else None


def read_import(sheets: dict[str, Sheet], meta: Meta, user: Any) -> ImportPlan:
    plan = find_plan(meta.org, meta.year)
    result = ImportPlan(meta, f"แผนปฏิบัติราชการ {plan.organization.label} ปีงบประมาณ {meta.year}")
    sheet = sheets.get(SHEET)
    if sheet is None:
        raise DomainError("import_sheet_missing", sheet=SHEET)
    rows = Rows(sheet, COLUMNS, result.problems)
    if rows.missing:
        return result
    orgs = {o.code: o for o in Organization.objects.all()}
    read = [
        row
        for number, values in rows
        if (row := _read_row(rows, number, values, result.problems, orgs)) is not None
    ]
    plan_changes(plan, read, result, user)
    return result


def plan_changes(
    plan: OperatingPlan, read: list[ItemRow], result: ImportPlan, user: Any, sheet: str = SHEET
) -> None:
    """Each row's change against the plan as stored, with the service calls that write it."""
    tree = _Tree(plan, user)
    items = {
        i.key: i
        for i in WorkItem.objects.filter(plan=plan).select_related(
            "activity__output", "budget_line"
        )
    }
    units = _units_of(plan)
    milestones = _milestones_of(plan)
    seen: set[str] = set()
    # The new name each output and activity is given, by the first row that renames it: rows
    # that rename one output name it the same (two new names were taken as another person's
    # change); a row with its name as it is says nothing new.
    named_outputs: dict[str, tuple[str, int]] = {}
    named_activities: dict[str, tuple[str, int]] = {}
    for row in read:
        problem = _unknown_key(row, items, tree, seen)
        if problem is not None:
            result.problems.append(Problem(sheet, row.number, "", problem))
            continue
        changes: list[Callable[[], object]] = []
        fields: list[tuple[str, str, str]] = []
        twice = False
        item = items.get(row.key) if row.key else None
        # A row moved to another activity by its keys keeps the names of where it was: those
        # name nothing.
        was = item.activity if item is not None else None
        for key, name, known, named, label, old in (
            (
                row.output_key,
                row.output_name,
                tree.outputs,
                named_outputs,
                OUTPUT_NAME,
                was.output if was is not None else None,
            ),
            (
                row.activity_key,
                row.activity_name,
                tree.activities,
                named_activities,
                ACTIVITY_NAME,
                was,
            ),
        ):
            if not (key and name):
                continue
            if name == known[key].name or (old is not None and old.key != key and name == old.name):
                continue  # its name as it is: says nothing new
            first = named.setdefault(key, (name, row.number))
            if first[0] != name:
                error = DomainError(
                    "import_named_twice",
                    column=label,
                    key=key,
                    first=first[0],
                    first_row=first[1],
                    second=name,
                )
                result.problems.append(Problem(sheet, row.number, "", message_for(error)))
                twice = True
            elif first[1] == row.number:
                fields.append((label, known[key].name, name))
                changes.append(_rename(known[key], name, user))
        if twice:
            continue
        if item is None:
            fields += [(NAME, "-", row.name), (ITEM_KIND, "-", KINDS[row.kind])]
            result.changes.append(
                RowChange(
                    sheet,
                    row.number,
                    row.name,
                    "add",
                    fields,
                    _adder(tree, row, plan, user, changes),
                )
            )
            continue
        fields += _item_fields(item, row, units.get(item.pk, []), milestones.get(item.pk, {}))
        if row.activity_key and item.activity is not None and row.activity_key != item.activity.key:
            fields.append((ACTIVITY_KEY, item.activity.key, row.activity_key))
        if not fields:
            result.changes.append(RowChange(sheet, row.number, row.name, "same"))
            continue
        result.changes.append(
            RowChange(
                sheet,
                row.number,
                row.name,
                "change",
                fields,
                _saver(
                    tree,
                    item,
                    row,
                    units.get(item.pk, []),
                    milestones.get(item.pk, {}),
                    user,
                    changes,
                ),
            )
        )
    result.left_alone += len(set(items) - seen)


def _unknown_key(
    row: ItemRow, items: dict[str, WorkItem], tree: _Tree, seen: set[str]
) -> str | None:
    for key, known, label in (
        (row.key, items, ITEM_KEY),
        (row.output_key, tree.outputs, OUTPUT_KEY),
        (row.activity_key, tree.activities, ACTIVITY_KEY),
    ):
        if key and key not in known:
            return message_for(DomainError("import_unknown_key", field=label, key=key))
    if row.key:
        if row.key in seen:
            return message_for(DomainError("import_key_twice", key=row.key))
        seen.add(row.key)
    if (
        row.activity_key
        and row.output_key
        and tree.activities[row.activity_key].output.key != row.output_key
    ):
        return message_for(DomainError("import_activity_elsewhere", key=row.activity_key))
    return None


def _item_fields(
    item: WorkItem, row: ItemRow, units: list[str], milestones: dict[int, PlannedMilestone]
) -> list[tuple[str, str, str]]:
    fields = []
    for label, before, after in (
        (NAME, item.name, row.name),
        (ITEM_KIND, KINDS.get(item.kind, item.kind), KINDS[row.kind]),
        (TARGET, item.target_quantity, row.target),
        (UNIT, item.target_unit, row.unit),
        (TARGET_TEXT, item.target_text, row.target_text),
        (BUDGET, item.budget_baht, row.budget),
        (
            UNITS,
            ", ".join(units),
            ", ".join(o.code for o in (row.units if row.units is not None else [])),
        )
        if row.units is not None
        else (UNITS, "", ""),
        *(
            (
                MILESTONES[months],
                milestones[months].planned_quantity if months in milestones else None,
                row.milestones[months],
            )
            for months in ROUNDS
        ),
        *(
            (
                f"แผน {months} เดือน (ข้อความ)",
                milestones[months].text if months in milestones else "",
                (row.milestone_texts or {}).get(months, ""),
            )
            for months in ROUNDS
            if row.milestone_texts is not None
        ),
    ):
        if before != after and not (before in (None, "") and after in (None, "")):
            fields.append((label, shown(before), shown(after)))
    return fields


def _rename(obj: Output | Activity, name: str, user: Any) -> Callable[[], object]:
    from tidtam.concurrency import history_version

    version = history_version(obj)
    if isinstance(obj, Output):
        return lambda: services.output_save(
            output=obj, name=name, expected_version=version, user=user
        )
    return lambda: services.activity_save(
        activity=obj, name=name, name_note=obj.name_note, expected_version=version, user=user
    )


def _adder(
    tree: _Tree, row: ItemRow, plan: OperatingPlan, user: Any, before: list[Callable[[], object]]
) -> Callable[[], object]:
    def write() -> None:
        for change in before:
            change()
        item = services.work_item_create(
            plan=plan, activity=tree.activity(row), kind=row.kind, name=row.name, user=user
        )
        _write_item(item, row, [], {}, user, version=None)

    return write


def _saver(
    tree: _Tree,
    item: WorkItem,
    row: ItemRow,
    units: list[str],
    milestones: dict[int, PlannedMilestone],
    user: Any,
    before: list[Callable[[], object]],
) -> Callable[[], object]:
    from tidtam.concurrency import history_version

    version = history_version(item)

    def write() -> None:
        for change in before:
            change()
        if row.activity_key and item.activity is not None and row.activity_key != item.activity.key:
            services.work_item_move_to(work_item=item, activity=tree.activity(row), user=user)
            item.refresh_from_db()
        _write_item(item, row, units, milestones, user, version=version)

    return write


def _write_item(
    item: WorkItem,
    row: ItemRow,
    units: list[str],
    milestones: dict[int, PlannedMilestone],
    user: Any,
    *,
    version: int | None,
) -> None:
    from tidtam.plans.services import MilestoneInput

    services.work_item_save(
        work_item=item,
        name=row.name,
        kind=row.kind,
        target_quantity=row.target,
        target_unit=row.unit,
        target_text=row.target_text,
        budget_baht=row.budget,
        budget_line=item.budget_line,
        later_quarter_from=item.later_quarter_from,
        group_name=item.group_name,
        milestones={
            months: MilestoneInput(
                text=_milestone_text(row, milestones, months),
                planned_quantity=row.milestones[months],
            )
            for months in ROUNDS
            if months in milestones
            or row.milestones[months] is not None
            or _milestone_text(row, milestones, months)
        },
        expected_version=version,
        user=user,
    )
    if row.units is None:
        return
    wanted = [o.code for o in row.units]
    if wanted == units:
        return
    kept = [code for code in units if code in wanted]
    # Re-made in the order typed when it changed (the documents print them in that order),
    # each with the person who reports it.
    drop = units if kept != wanted[: len(kept)] else [c for c in units if c not in wanted]
    persons = dict(
        WorkItemResponsibility.objects.filter(work_item=item).values_list(
            "organization__code", "person"
        )
    )
    for responsibility in WorkItemResponsibility.objects.filter(
        work_item=item, organization__code__in=drop
    ).select_related("organization"):
        services.work_item_responsibility_remove(
            work_item=item, organization=responsibility.organization, user=user
        )
    for unit in row.units:
        if unit.code not in units or unit.code in drop:
            person_id = persons.get(unit.code)
            services.work_item_responsibility_assign(
                work_item=item,
                organization=unit,
                person=Person.objects.get(pk=person_id) if person_id else None,
                user=user,
            )


def _milestone_text(row: ItemRow, milestones: dict[int, PlannedMilestone], months: int) -> str:
    if row.milestone_texts is not None:
        return row.milestone_texts.get(months, "")
    return milestones[months].text if months in milestones else ""
