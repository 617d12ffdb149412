"""The documents tidtam makes: one registry that the command, the web app and the tasks share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tidtam.domain.errors import DomainError
from tidtam.messages import DOCUMENT_TITLES
from tidtam.reports.agreement import agreement_report
from tidtam.reports.budget_forms import form_301, form_302
from tidtam.reports.content import Report
from tidtam.reports.ita import ita_annual_report, ita_plan_report, ita_progress_report
from tidtam.reports.quarterly import quarterly_report
from tidtam.reports.scorecard import scorecard_report
from tidtam.reports.summary import summary_report

FORMATS = ("docx", "xlsx", "pdf", "html", "json")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


@dataclass(frozen=True)
class Document:
    code: str
    title: str
    build: Callable[..., Report]
    needs_round: bool
    # The round a document is made for when it has no choice (the ITA set is 6 or 12 months).
    fixed_round: int | None = None
    # Its builder as of a day (None: the document is as of its round's figures only).
    with_as_of: Callable[..., Report] | None = None
    # The formats it is made in (the Budget Bureau's grids are spreadsheets).
    formats: tuple[str, ...] = ("docx", "xlsx", "pdf", "html", "json")
    # Whether it can be made for an organisation with the units below it (`subtree=True`).
    with_subtree: bool = False

    def check_format(self, fmt: str) -> str:
        if fmt not in self.formats:
            raise DomainError(
                "format_unsupported",
                document=self.title,
                format=fmt,
                choices=", ".join(self.formats),
            )
        return fmt

    def check_subtree(self, subtree: bool) -> bool:
        """Refused in Thai when asked with its units and made one organisation at a time."""
        if subtree and not self.with_subtree:
            raise DomainError("subtree_unsupported", document=self.title)
        return subtree

    def content(
        self,
        org_code: str,
        year: int,
        months: int | None = None,
        *,
        as_of: date | None = None,
        subtree: bool = False,
    ) -> Report:
        """The document's typed structure (tidtam.reports.content), built by its builder; as of
        a day, for the documents whose figures can be (the quarterly report's budget); of the
        organisation with its units, for the documents that can be."""
        months = self.fixed_round or months or 12
        extra: dict[str, Any] = {"subtree": True} if self.check_subtree(subtree) else {}
        if as_of is None:
            return self.build(org_code, year, months, **extra)
        if self.with_as_of is None:
            raise DomainError("as_of_unsupported", document=self.title)
        return self.with_as_of(org_code, year, months, as_of, **extra)

    def data(
        self,
        org_code: str,
        year: int,
        months: int | None = None,
        *,
        as_of: date | None = None,
        subtree: bool = False,
    ) -> dict[str, Any]:
        """The same as plain Python values (Decimals, dates), for reading it like its JSON."""
        return self.content(org_code, year, months, as_of=as_of, subtree=subtree).model_dump()


DOCUMENTS: dict[str, Document] = {
    doc.code: doc
    for doc in (
        Document(
            "quarterly",
            DOCUMENT_TITLES["quarterly"],
            quarterly_report,
            True,
            with_as_of=quarterly_report,
            with_subtree=True,
        ),
        Document(
            "agreement", DOCUMENT_TITLES["agreement"], lambda o, y, m: agreement_report(o, y), False
        ),
        Document(
            "scorecard",
            DOCUMENT_TITLES["scorecard"],
            scorecard_report,
            True,
            with_subtree=True,
        ),
        Document(
            "ita-plan",
            DOCUMENT_TITLES["ita-plan"],
            lambda o, y, m, **extra: ita_plan_report(o, y, **extra),
            False,
            with_subtree=True,
        ),
        Document(
            "ita-progress",
            DOCUMENT_TITLES["ita-progress"],
            lambda o, y, m, **extra: ita_progress_report(o, y, **extra),
            False,
            fixed_round=6,
            with_subtree=True,
        ),
        Document(
            "ita-annual",
            DOCUMENT_TITLES["ita-annual"],
            lambda o, y, m, **extra: ita_annual_report(o, y, **extra),
            False,
            fixed_round=12,
            with_subtree=True,
        ),
        Document(
            "summary",
            DOCUMENT_TITLES["summary"],
            summary_report,
            True,
            formats=("xlsx", "json"),
        ),
        Document(
            "form-301",
            DOCUMENT_TITLES["form-301"],
            lambda o, y, m: form_301(o, y),
            False,
            formats=("xlsx", "json"),
        ),
        Document(
            "form-302",
            DOCUMENT_TITLES["form-302"],
            lambda o, y, m: form_302(o, y),
            False,
            formats=("xlsx", "json"),
        ),
    )
}


def document(code: str) -> Document:
    if code not in DOCUMENTS:
        raise DomainError("document_unknown", document=code, choices=", ".join(DOCUMENTS))
    return DOCUMENTS[code]


def filename(report: Report, fmt: str) -> str:
    """A file name people can sort and recognise: document-org-year[-round].ext"""
    parts = [report.document, report.organization.code, str(report.fiscal_year)]
    months = getattr(report, "round_months", None)
    if months and report.document in ("quarterly", "scorecard"):
        parts.append(f"{months}m")
    if getattr(report, "units", None):
        parts.append("with-units")  # of the organisation with the units below it
    return "-".join(parts) + f".{fmt}"
