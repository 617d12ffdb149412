"""The Excel round trip's engine: a template's workbook (Thai headers, lists to choose from,
numbers checked as numbers, locked key columns, an instructions sheet and a hidden sheet naming
what the file is), and an import read as a list of row changes, each written by the same service
a page calls.

An import is run twice: the preview writes every change in a transaction and rolls it back, so
each row meets exactly the rules it will meet when applied (the services' own checks, locks and
versions), and every refusal is listed by sheet and row; the apply writes them again and commits
only if none is refused: all or nothing."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.transfer.workbook import Sheet, cell_number, cell_text, column_letter, is_blank

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# openpyxl (with Pillow, 0.15 s of every process's start) is imported when a template is made:
# the URLs import this module, and a worker, a command or a page that makes no template never
# needs it.

META_SHEET = "_tidtam"
FORMAT_VERSION = 1
# Rows below the data that stay unlocked and validated, for rows a person adds.
SPARE_ROWS = 500
_INFO_FILL_COLOR = "EEEEEE"


@dataclass(frozen=True)
class Column:
    """One column of a template: its Thai header, width, whether it is locked (a key, or
    information the import does not read), and what it accepts."""

    header: str
    width: int = 14
    locked: bool = False
    number: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meta:
    """What the hidden sheet says a workbook is: its template, organisation, year and round."""

    kind: str
    org: str
    year: int
    round_months: int | None = None


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class RowChange:
    """One row's change: "add", "change" or "same" (left alone), with the fields that change
    (label, before, after), and the service call that writes it."""

    sheet: str
    row: int
    label: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    write: Callable[[], object] | None = None
    # What a batch writes for the row (ImportPlan.batches), instead of `write`.
    payload: object = None
    # The column (letter) of a refusal at the save: by the field it names, else by its code.
    columns: Mapping[str, str] = field(default_factory=dict)
    # The row of a refusal that names one of several rows written together (a line's month).
    month_rows: Mapping[str, int] = field(default_factory=dict)

    def row_of(self, error: DomainError) -> int:
        return self.month_rows.get(str(error.params.get("month", "")), self.row)

    def column_of(self, error: DomainError) -> str:
        named = self.columns.get(str(error.params.get("field", "")))
        return named or self.columns.get(error.code, "")


class RowsRefused(Exception):
    """A batch refused: each refused row's index in the batch and its error."""

    def __init__(self, errors: list[tuple[int, DomainError]]) -> None:
        super().__init__(f"{len(errors)} rows refused")
        self.errors = errors


@dataclass
class Batch:
    """Rows written by one service call (many entries of a round at once): `write` raises
    RowsRefused naming the rows refused, and then writes none of them."""

    changes: list[RowChange]
    write: Callable[[], object]


@dataclass
class ImportPlan:
    meta: Meta
    title: str
    changes: list[RowChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    left_alone: int = 0
    batches: list[Batch] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"add": 0, "change": 0, "same": 0}
        for change in self.changes:
            counts[change.action] += 1
        counts["same"] += self.left_alone
        return counts


def build_workbook(
    *,
    meta: Meta,
    title: str,
    instructions: Sequence[str],
    sheet_name: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
) -> bytes:
    """A template workbook: the instructions sheet, the data sheet and the hidden meta sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection

    info_fill = PatternFill("solid", fgColor=_INFO_FILL_COLOR)
    open_cell = Protection(locked=False)
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = "คำอธิบาย"
    guide.append([title])
    guide["A1"].font = Font(bold=True)
    for line in instructions:
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    sheet = book.create_sheet(sheet_name)
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns):
        sheet.column_dimensions[column_letter(index)].width = column.width
    for row in rows:
        sheet.append(list(row))
    last = max(sheet.max_row, 1) + SPARE_ROWS
    _validations(sheet, columns, last)
    # Every cell may change but the locked ones: the sheet is protected, its other cells open.
    # An open column is open by its column style (the rows a person adds below the data take
    # it), and each of its data cells by its own; a cell is locked unless told otherwise.
    for index, column in enumerate(columns):
        if not column.locked:
            sheet.column_dimensions[column_letter(index)].protection = open_cell
    for values in sheet.iter_rows(min_row=2, max_row=len(rows) + 1, max_col=len(columns)):
        for cell, column in zip(values, columns, strict=True):
            if column.locked:
                cell.fill = info_fill
            else:
                cell.protection = open_cell
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.freeze_panes = "B2"
    book.active = 1
    hidden = book.create_sheet(META_SHEET)
    for name, value in (
        ("kind", meta.kind),
        ("org", meta.org),
        ("year", meta.year),
        ("round", meta.round_months),
        ("format", FORMAT_VERSION),
    ):
        hidden.append([name, value])
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validations(sheet: Worksheet, columns: Sequence[Column], last: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    numbers = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="ต้องเป็นตัวเลข",
        error="พิมพ์ตัวเลขตั้งแต่ 0 ขึ้นไป",
    )
    for index, column in enumerate(columns):
        letter = column_letter(index)
        if column.locked:
            continue
        if column.number:
            numbers.add(f"{letter}2:{letter}{last}")
        elif column.choices:
            choices = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f"{column.header} ไม่ถูกต้อง",
                error="เลือกจากรายการ",
            )
            choices.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(choices)
    if numbers.sqref:
        sheet.add_data_validation(numbers)


def read_meta(sheets: dict[str, Sheet]) -> Meta | None:
    """What the hidden sheet says the workbook is; None for a file tidtam did not write."""
    hidden = sheets.get(META_SHEET)
    if hidden is None:
        return None
    values = {cell_text(row[0]): row[1] for row in hidden.rows if len(row) >= 2}
    try:
        months = values.get("round")
        return Meta(
            kind=cell_text(values.get("kind")),
            org=cell_text(values.get("org")),
            year=int(float(str(values.get("year")))),
            round_months=int(float(str(months))) if months not in (None, "") else None,
        )
    except (TypeError, ValueError):
        return None


class Rows:
    """A data sheet read by its headers: each row's cells by column header, with the cell's
    address for problems. A column the template needs and the sheet lacks is one problem."""

    def __init__(self, sheet: Sheet, columns: Sequence[Column], problems: list[Problem]) -> None:
        self.sheet = sheet
        header = [cell_text(value) for value in (sheet.rows[0] if sheet.rows else [])]
        self.index = {name: position for position, name in enumerate(header) if name}
        self.missing = [c.header for c in columns if c.header not in self.index]
        if self.missing:
            problems.append(
                Problem(
                    sheet.name,
                    1,
                    "",
                    message_for(
                        DomainError(
                            "import_columns_missing",
                            sheet=sheet.name,
                            columns=", ".join(self.missing),
                        )
                    ),
                )
            )

    def __iter__(self) -> Any:
        for number, values in enumerate(self.sheet.rows[1:], start=2):
            if all(value is None or cell_text(value) == "" for value in values):
                continue
            yield number, values

    def get(self, values: list[object], header: str) -> object:
        position = self.index.get(header)
        if position is None or position >= len(values):
            return None
        return values[position]

    def number(
        self, values: list[object], number: int, header: str, problems: list[Problem]
    ) -> Decimal | None:
        """The cell as a number, or None with its problem listed (sheet, row, column)."""
        value = self.get(values, header)
        if value is None:  # most cells of a template's optional columns
            return None
        try:
            return cell_number(value, field=header)
        except DomainError as error:
            problems.append(cell_problem(self, number, header, error))
            return None

    def version(
        self, values: list[object], number: int, header: str, problems: list[Problem]
    ) -> int | None:
        """The version a row was exported at: what its change is checked against (another
        person's save since is refused, naming them). A blank cell is a row exported before
        anything was saved (0); anything else that is not a whole number is a problem (None),
        never taken as "no check"."""
        value = self.get(values, header)
        if is_blank(value):
            return 0
        version = self.number(values, number, header, problems)
        if version is None:
            return None
        if version < 0 or version != version.to_integral_value():
            error = DomainError("import_version_invalid", value=str(version))
            problems.append(cell_problem(self, number, header, error))
            return None
        return int(version)

    def letter(self, header: str) -> str:
        position = self.index.get(header)
        return "" if position is None else column_letter(position)


def cell_problem(rows: Rows, number: int, header: str, error: DomainError) -> Problem:
    return Problem(rows.sheet.name, number, rows.letter(header), message_for(error))


class _Rollback(Exception):
    pass


def run(
    plan: ImportPlan,
    *,
    commit: bool,
    progress: Callable[[int, int], None] | None = None,
) -> list[Problem]:
    """Write every change through its service in one transaction; roll all of it back unless
    `commit` and nothing was refused. Returns the problems, each row's refusal with its row."""
    problems: list[Problem] = []
    writes = [change for change in plan.changes if change.write is not None]
    step = max(len(writes) // 50, 1)
    try:
        with transaction.atomic():
            for done, change in enumerate(writes, start=1):
                assert change.write is not None
                try:
                    with transaction.atomic():
                        change.write()
                except DomainError as error:
                    problems.append(
                        Problem(
                            change.sheet,
                            change.row_of(error),
                            change.column_of(error),
                            message_for(error),
                        )
                    )
                except ValidationError as error:
                    text = "; ".join(error.messages)
                    problems.append(Problem(change.sheet, change.row, "", text))
                except DatabaseError:
                    problems.append(
                        Problem(
                            change.sheet,
                            change.row,
                            "",
                            message_for(DomainError("import_row_refused", label=change.label)),
                        )
                    )
                if progress is not None and (done % step == 0 or done == len(writes)):
                    progress(done, len(writes))
            for batch in plan.batches:
                if not batch.changes:
                    continue
                try:
                    with transaction.atomic():
                        batch.write()
                except RowsRefused as refused:
                    for index, refusal in refused.errors:
                        change = batch.changes[index]
                        problems.append(
                            Problem(
                                change.sheet,
                                change.row_of(refusal),
                                change.column_of(refusal),
                                message_for(refusal),
                            )
                        )
                if progress is not None:
                    progress(len(writes), len(writes))
            if problems or not commit:
                raise _Rollback
    except _Rollback:
        pass
    return problems
