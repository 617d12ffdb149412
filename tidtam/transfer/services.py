"""The round trip's entry points, shared by the command line, the upload page and its task:
write a template, read an upload into its preview (every row written and rolled back), apply it
(all or nothing)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import check_be_year, check_round
from tidtam.messages import message_for
from tidtam.orgs import policy
from tidtam.orgs.models import Organization
from tidtam.transfer import agreement, plan, results, seed_layout, spending
from tidtam.transfer.engine import META_SHEET, ImportPlan, Meta, Problem, run
from tidtam.transfer.workbook import check_cells, open_checked, read_sheets

TEMPLATES: dict[str, ModuleType] = {
    plan.KIND: plan,
    results.KIND: results,
    spending.KIND: spending,
    agreement.KIND: agreement,
}
# What each template is called on pages and in messages.
TITLES = {
    plan.KIND: "แผนปฏิบัติราชการ",
    results.KIND: "ผลการดำเนินงานรายรอบ",
    spending.KIND: "แผนและผลการเบิกจ่ายรายเดือน",
    agreement.KIND: "คำรับรองการปฏิบัติราชการและตัวชี้วัด",
}
# The templates whose rows a planner writes (results are written by the people who report).
PLANNED = {plan.KIND, spending.KIND, agreement.KIND}


def export(
    kind: str, org: str, year: int, round_months: int | None = None, user: Any = None
) -> bytes:
    if kind not in TEMPLATES:
        raise DomainError("export_unknown", kind=kind, kinds=", ".join(TEMPLATES))
    check_be_year(year, field="ปีงบประมาณ")
    if round_months is not None:
        check_round(round_months)
    if kind == results.KIND and round_months is None:
        raise DomainError("import_round_missing")
    if user is not None:
        _require_may(user, kind, org)
    return bytes(TEMPLATES[kind].export(org, year, round_months, user))


def _require_may(user: Any, kind: str, org_code: str) -> None:
    organization = Organization.objects.filter(code=org_code).first()
    if organization is None:
        raise DomainError("import_unknown_org", org=org_code)
    allowed = (
        policy.may_plan(user, organization)
        if kind in PLANNED
        else policy.readable(user, Organization).filter(pk=organization.pk).exists()
    )
    if not allowed:
        raise DomainError("import_not_yours", org=organization.label)


def read(
    data: bytes,
    *,
    file_name: str = "",
    user: Any = None,
    given: Meta | None = None,
) -> ImportPlan:
    """An upload read and checked into its preview's rows (nothing written yet). `given` names
    the organisation, year and round of a plain sheet in the seed documents' layout."""
    archive = open_checked(data, file_name=file_name)
    sheets = read_sheets(data, file_name=file_name)
    meta = results_meta = None
    if META_SHEET in sheets:
        from tidtam.transfer.engine import read_meta

        meta = read_meta(sheets)
    if meta is not None and meta.kind in TEMPLATES:
        module = TEMPLATES[meta.kind]
        data_sheets = [module.SHEET]
    else:
        layout = seed_layout.recognise(sheets)
        if layout is None:
            raise DomainError("import_wrong_template", file=file_name)
        if given is None:
            raise DomainError("import_needs_target", layout=seed_layout.TITLES[layout])
        meta = Meta(layout, given.org, given.year, given.round_months)
        data_sheets = [seed_layout.sheet_of(sheets, layout)]
        results_meta = layout
    cell_problems = check_cells(archive, data_sheets)
    if user is not None:
        _require_may(
            user, meta.kind if results_meta is None else seed_layout.KIND_OF[results_meta], meta.org
        )
    if results_meta is not None:
        imported = seed_layout.read_import(sheets, meta, user, results_meta)
    else:
        imported = TEMPLATES[meta.kind].read_import(sheets, meta, user)
    for error in cell_problems:
        imported.problems.insert(
            0,
            Problem(
                str(error.params.get("sheet", "")),
                None,
                str(error.params.get("cell", error.params.get("cells", ""))),
                message_for(error),
            ),
        )
    return imported


def preview(
    imported: ImportPlan, progress: Callable[[int, int], None] | None = None
) -> list[Problem]:
    """Every change written through its service and rolled back: the problems of reading and
    of writing, by sheet and row."""
    if imported.problems:
        return imported.problems
    return run(imported, commit=False, progress=progress)


def apply(
    imported: ImportPlan, progress: Callable[[int, int], None] | None = None
) -> list[Problem]:
    """Every change written in one transaction, kept only if none is refused."""
    if imported.problems:
        return imported.problems
    return run(imported, commit=True, progress=progress)
