"""`tidtam export plan`: the plan as an Excel workbook keyed by stable keys, read back with
openpyxl: every item's row with its keys, names, numbers as numbers and milestones; the key
columns locked and the others open; the kind chosen from a list; an instructions sheet; a
missing plan, a C.E. year and an unknown export refused in Thai."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tidtam.plans.models import PlannedMilestone, WorkItem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def export(tmp_path: Path, *args: str) -> Any:
    path = tmp_path / "plan.xlsx"
    call_command("export", "plan", "--org", "onesqa", "--fy", "2567", "-o", str(path), *args)
    return load_workbook(path)


def test_every_item_is_a_row_keyed_by_its_stable_keys(tmp_path: Path) -> None:
    book = export(tmp_path)
    assert book.sheetnames == ["คำอธิบาย", "แผน", "_tidtam"]
    assert book["_tidtam"].sheet_state == "hidden"  # what the file is, for the import
    sheet = book["แผน"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], [r for r in rows[1:] if r[0]]
    assert header[0] == "รหัสอ้างอิงโครงการ" and header[9] == "ชื่อโครงการ / รายการ"
    items = {
        i.key: i
        for i in WorkItem.objects.filter(
            plan__organization__code="onesqa", plan__fiscal_year__year=2567
        ).select_related("activity__output")
    }
    assert {row[0] for row in body} == set(items)
    for row in body:
        item = items[row[0]]
        assert (row[1], row[4]) == (item.activity.output.key, item.activity.key)
        assert (row[2], row[5], row[7], row[9]) == (
            item.activity.output.number,
            item.activity.number,
            item.number,
            item.name,
        )
        if item.target_quantity is not None:
            assert isinstance(row[10], int | float)  # a number, not text
            assert Decimal(str(row[10])) == item.target_quantity
        planned = {
            m.round_months: m.planned_quantity
            for m in PlannedMilestone.objects.filter(work_item=item)
        }
        for offset, months in enumerate((3, 6, 9, 12)):
            value = row[15 + offset]
            expected = planned.get(months)
            assert (None if value is None else Decimal(str(value))) == expected
    # The keys stay as exported; everything else may be typed over.
    assert sheet.protection.sheet
    assert sheet["A2"].protection.locked and sheet["B2"].protection.locked
    assert not sheet["J2"].protection.locked and not sheet["K2"].protection.locked
    # A row a person adds below the data takes its column's style: open, but for the keys.
    assert not sheet.column_dimensions["J"].protection.locked
    assert sheet.column_dimensions["A"].protection.locked
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists and "I2" in str(lists[0].sqref)
    assert "รหัสอ้างอิง" in " ".join(str(r[0]) for r in book["คำอธิบาย"].iter_rows(values_only=True))


def test_a_missing_plan_a_ce_year_and_an_unknown_export_are_refused_in_thai(tmp_path: Path) -> None:
    out = str(tmp_path / "x.xlsx")
    with pytest.raises(CommandError, match="ยังไม่มีแผนปฏิบัติราชการ"):
        call_command("export", "plan", "--org", "onesqa", "--fy", "2570", "-o", out)
    with pytest.raises(CommandError, match=r"พ\.ศ\."):
        call_command("export", "plan", "--org", "onesqa", "--fy", "2024", "-o", out)
    with pytest.raises(CommandError, match="ส่งออกได้: plan"):
        call_command("export", "budget", "--org", "onesqa", "--fy", "2567", "-o", out)
    assert not Path(out).exists()
