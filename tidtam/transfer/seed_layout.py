"""Plain sheets in the layout agencies already keep, so they can start from the files they have
(seed 000's tables):

- the plan table: a row "ผลผลิตที่ N ชื่อ" opens an output, "กิจกรรมที่ N ชื่อ" an activity, and the
  rows under it are its projects, programmes and items (ที่ | รายการ | เป้าหมาย | หน่วยงาน |
  งบประมาณ | แผน รอบ N เดือน …; an item's kind from its name, or a ประเภท column);
- the lagging table: ที่ | รายการ | เป้าหมาย | แผน/ผล | รอบ 6 เดือน | รอบ 12 เดือน | คำอธิบาย, three
  rows an item (แผน, ผล, ร้อยละ), read as the round's results of the items it names.

Rows are matched to the plan by name (outputs, activities, items), so loading the same sheet
again changes nothing; the rows then go through the same changes and services as a template's."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from tidtam.domain.errors import DomainError
from tidtam.domain.thai import normalize_text
from tidtam.messages import IMPORTED_PERCENT_NOTE, message_for
from tidtam.orgs.models import Organization
from tidtam.plans.models import Activity, Output, WorkItem
from tidtam.transfer import plan as plan_template
from tidtam.transfer import results as results_template
from tidtam.transfer.engine import ImportPlan, Meta, Problem
from tidtam.transfer.workbook import Sheet, cell_number, cell_text

PLAN_TABLE = "plan_table"
LAGGING_TABLE = "lagging_table"
TITLES = {
    PLAN_TABLE: "ตารางแผนปฏิบัติราชการ (ผลผลิต กิจกรรม โครงการ)",
    LAGGING_TABLE: "ตารางโครงการที่ผลการดำเนินงานต่ำกว่าเกณฑ์ (แผน / ผล / ร้อยละ)",
}
# Which template's rules (and whose permission) each layout's rows follow.
KIND_OF = {PLAN_TABLE: plan_template.KIND, LAGGING_TABLE: results_template.KIND}

_OUTPUT = re.compile(r"^ผลผลิตที่\s*(\d+)\s*(.*)$")
_ACTIVITY = re.compile(r"^กิจกรรมที่\s*(\d+)\s*(.*)$")
_ROUND = re.compile(r"(3|6|9|12)\s*เดือน")
_QUANTITY = re.compile(r"^([\d,.]+)\s*(\S+)")
_HEADER_ROWS = 10


def _header(sheet: Sheet) -> tuple[int, list[str]] | None:
    for index, row in enumerate(sheet.rows[:_HEADER_ROWS]):
        cells = [cell_text(value) for value in row]
        if "ที่" in cells and any(c in ("รายการ", "โครงการ", "โครงการ / กิจกรรม") for c in cells):
            return index, cells
    return None


def _layout(sheet: Sheet) -> str | None:
    found = _header(sheet)
    if found is None:
        return None
    cells = [c.replace(" ", "") for c in found[1]]
    return LAGGING_TABLE if "แผน/ผล" in cells else PLAN_TABLE


def recognise(sheets: dict[str, Sheet]) -> str | None:
    for sheet in sheets.values():
        layout = _layout(sheet)
        if layout is not None:
            return layout
    return None


def sheet_of(sheets: dict[str, Sheet], layout: str) -> str:
    return next(name for name, sheet in sheets.items() if _layout(sheet) == layout)


def _find(cells: list[str], *words: str) -> int | None:
    for position, cell in enumerate(cells):
        if any(word in cell for word in words):
            return position
    return None


def read_import(sheets: dict[str, Sheet], meta: Meta, user: Any, layout: str) -> ImportPlan:
    sheet = sheets[sheet_of(sheets, layout)]
    if layout == PLAN_TABLE:
        return _read_plan(sheet, meta, user)
    return _read_lagging(sheet, meta, user)


def _kind_of(name: str, typed: str) -> str:
    for value, label in plan_template.KINDS.items():
        if typed == label:
            return value
    if name.startswith("โครงการ"):
        return WorkItem.Kind.PROJECT
    if name.startswith("แผนงาน"):
        return WorkItem.Kind.PROGRAMME
    return WorkItem.Kind.BUDGET_ITEM


def _target(text: str) -> tuple[Decimal | None, str]:
    """ "1 โครงการ (8 กิจกรรม)" → 1, "โครงการ": the quantity and unit a target text starts with."""
    match = _QUANTITY.match(text)
    if not match:
        return None, ""
    try:
        return cell_number(match[1], field="เป้าหมาย"), match[2]
    except DomainError:
        return None, ""


def _read_plan(sheet: Sheet, meta: Meta, user: Any) -> ImportPlan:
    plan = plan_template.find_plan(meta.org, meta.year)
    result = ImportPlan(
        Meta(plan_template.KIND, meta.org, meta.year),
        f"{TITLES[PLAN_TABLE]} {plan.organization.label} ปีงบประมาณ {meta.year}",
    )
    found = _header(sheet)
    assert found is not None
    start, cells = found
    name_at = _find(cells, "รายการ", "โครงการ")
    target_at = _find(cells, "เป้าหมาย")
    kind_at = _find(cells, "ประเภท")
    units_at = _find(cells, "หน่วยงาน", "ผู้รับผิดชอบ")
    budget_at = _find(cells, "งบประมาณ")
    rounds = {
        int(match[1]): position
        for position, cell in enumerate(cells)
        if "แผน" in cell and (match := _ROUND.search(cell))
    }
    orgs: dict[str, Organization] = {}
    for org in Organization.objects.all():
        orgs[org.code] = org
        if org.short_name:
            orgs.setdefault(org.short_name, org)
    outputs = {o.name: o for o in Output.objects.filter(plan=plan)}
    activities = {
        (a.output.name, a.name): a
        for a in Activity.objects.filter(output__plan=plan).select_related("output")
    }
    items = {
        (i.activity.output.name, i.activity.name, i.name): i
        for i in WorkItem.objects.filter(plan=plan, activity__isnull=False).select_related(
            "activity__output"
        )
    }
    output_name = activity_name = ""
    read: list[plan_template.ItemRow] = []

    def at(row: list[object], position: int | None) -> object:
        return row[position] if position is not None and position < len(row) else None

    for number, row in enumerate(sheet.rows[start + 1 :], start=start + 2):
        texts = [cell_text(value) for value in row]
        lead = " ".join(t for t in texts[: (name_at or 0) + 1] if t)
        if not lead and not any(texts):
            continue
        if match := _OUTPUT.match(lead):
            output_name = match[2] or lead
            continue
        if match := _ACTIVITY.match(lead):
            activity_name = match[2] or f"กิจกรรมที่ {match[1]}"
            continue
        name = cell_text(at(row, name_at))
        if not name or cells == texts:
            continue
        if not output_name or not activity_name:
            result.problems.append(
                Problem(
                    sheet.name,
                    number,
                    "",
                    message_for(DomainError("import_row_outside", item=name)),
                )
            )
            continue
        target_text = cell_text(at(row, target_at))
        quantity, unit = _target(target_text)
        units: list[Organization] | None = None
        if units_at is not None:
            units = []
            for code in re.split(r"[,/]", cell_text(at(row, units_at))):
                code = code.strip()
                if code and code not in orgs and f"{code}." in orgs:
                    code = f"{code}."
                if code in orgs:
                    units.append(orgs[code])
                elif code:
                    result.problems.append(
                        Problem(
                            sheet.name,
                            number,
                            "",
                            message_for(DomainError("import_unknown_unit", code=code)),
                        )
                    )
        try:
            budget = (
                cell_number(at(row, budget_at), field="งบประมาณ") if budget_at is not None else None
            )
        except DomainError as error:
            result.problems.append(Problem(sheet.name, number, "", message_for(error)))
            continue
        item = items.get((output_name, activity_name, name))
        output = outputs.get(output_name)
        activity = activities.get((output_name, activity_name))
        read.append(
            plan_template.ItemRow(
                number=number,
                key=item.key if item else "",
                output_key=output.key if output else "",
                output_name=output_name,
                activity_key=activity.key if activity else "",
                activity_name=activity_name,
                kind=_kind_of(name, cell_text(at(row, kind_at))),
                name=name,
                target=item.target_quantity if item and quantity is None else quantity,
                unit=item.target_unit if item and not unit else unit,
                target_text=target_text,
                budget=budget if budget_at is not None else (item.budget_baht if item else None),
                units=units,
                milestones={months: None for months in plan_template.ROUNDS},
                milestone_texts={
                    months: cell_text(at(row, position)) for months, position in rounds.items()
                },
            )
        )
    _keep_quantities(read, items)
    plan_template.plan_changes(plan, read, result, user, sheet=sheet.name)
    return result


def _keep_quantities(
    read: list[plan_template.ItemRow], items: dict[tuple[str, str, str], WorkItem]
) -> None:
    """A plain table carries no planned quantities: an item keeps the ones it has."""
    from tidtam.plans.models import PlannedMilestone

    by_key = {item.key: item for item in items.values()}
    stored: dict[int, dict[int, Decimal | None]] = {}
    for milestone in PlannedMilestone.objects.filter(work_item__in=list(by_key.values())):
        stored.setdefault(milestone.work_item_id, {})[milestone.round_months] = (
            milestone.planned_quantity
        )
    for row in read:
        item = by_key.get(row.key)
        if item is not None:
            row.milestones = {
                months: stored.get(item.pk, {}).get(months) for months in plan_template.ROUNDS
            }


def _read_lagging(sheet: Sheet, meta: Meta, user: Any) -> ImportPlan:
    imported = Meta(results_template.KIND, meta.org, meta.year, meta.round_months)
    round_ = results_template.find_round(imported)
    plan = plan_template.find_plan(meta.org, meta.year)
    result = ImportPlan(
        imported, f"{TITLES[LAGGING_TABLE]} {plan.organization.label} {round_.get_months_display()}"
    )
    found = _header(sheet)
    assert found is not None
    start, cells = found
    name_at = _find(cells, "รายการ")
    kind_at = _find([c.replace(" ", "") for c in cells], "แผน/ผล")
    explain_at = _find(cells, "คำอธิบาย")
    assert kind_at is not None
    first, second = kind_at + 1, kind_at + 2
    items_qs, _ = results_template._subjects(imported, round_, user)
    items = {normalize_text(i.name): i for i in items_qs}
    from tidtam.progress.models import ProgressEntry

    entries = {
        e.work_item_id: e
        for e in ProgressEntry.objects.filter(round=round_, work_item__in=items_qs)
    }
    current: dict[str, Any] | None = None
    blocks: list[dict[str, Any]] = []
    for number, row in enumerate(sheet.rows[start + 1 :], start=start + 2):
        texts = [cell_text(value, paragraphs=True) for value in row] + [""] * 8
        if texts[0] == "ที่" or (not texts[0] and texts[first].startswith("รอบ")):
            continue  # a header repeated on a later page
        if name_at is not None and texts[name_at]:
            current = {
                "row": number,
                "name": normalize_text(texts[name_at]),
                "explanation": texts[explain_at] if explain_at is not None else "",
            }
            blocks.append(current)
        if current is None:
            continue
        label = texts[kind_at].replace(" ", "")
        if label == "ผล":
            current["text"], current["text_annual"] = texts[first], texts[second]
        elif label == "ร้อยละ":
            current["percents"] = (
                row[first] if first < len(row) else None,
                row[second] if second < len(row) else None,
            )
        if explain_at is not None and texts[explain_at] and not current["explanation"]:
            current["explanation"] = texts[explain_at]
    seen = set()
    for block in blocks:
        item = items.get(block["name"])
        if item is None:
            result.problems.append(
                Problem(
                    sheet.name,
                    block["row"],
                    "",
                    message_for(DomainError("import_item_by_name", item=block["name"])),
                )
            )
            continue
        seen.add(item.pk)
        try:
            percent_round, percent_annual = (
                cell_number(value, field="ร้อยละ") for value in block.get("percents", (None, None))
            )
        except DomainError as error:
            result.problems.append(Problem(sheet.name, block["row"], "", message_for(error)))
            continue
        entered = percent_round is not None or percent_annual is not None
        typed = results_template.Typed(
            result=None,
            numerator=None,
            denominator=None,
            text=block.get("text", ""),
            explanation=block["explanation"],
            percent_round=percent_round,
            percent_annual=percent_annual,
            percent_note=IMPORTED_PERCENT_NOTE if entered else "",
            version=None,
            text_annual=block.get("text_annual", ""),
        )
        change = results_template.item_change(item, entries.get(item.pk), round_, typed, user)
        change.sheet, change.row = sheet.name, block["row"]
        result.changes.append(change)
    result.left_alone += len(items) - len(seen)
    result.batches.append(results_template.entries_batch(result.changes, round_, user))
    return result
