"""Every document, in every format, for agencies tidtam generates rather than the seeds: plans
with boundary percents (49.99995 %, 79.99995 %), long Thai names, excluded and later-quarter
items; agreements of 3 and 5 levels without a linkage table, every KPI kind, ratios summed
from units, 0 / 0. The figures read back from the files equal the core's."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from openpyxl import load_workbook

from tests.app.readback import docx_text, xlsx_text
from tidtam.agreements.models import Agreement, AgreementKPI, Indicator, IndicatorResult
from tidtam.agreements.services import indicator_result_percent, result_measure
from tidtam.domain.errors import DomainError
from tidtam.domain.progress import Band, band_table
from tidtam.messages import passed_label
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan
from tidtam.progress.selectors import band_tables, round_items
from tidtam.reports.agreement import agreement_report
from tidtam.reports.ita import ita_plan_report
from tidtam.reports.quarterly import quarterly_report
from tidtam.reports.render import render, to_json
from tidtam.reports.scorecard import scorecard_report
from tidtam.seeds.generate import BOUNDARY_TARGETS, Scale, generate

pytestmark = pytest.mark.django_db

YEAR = 2567
SCALE = Scale(organizations=7, work_items=500, kpis=90, budget_lines=30)


def xlsx_band_totals(data: bytes, document: dict[str, Any]) -> dict[Band, int]:
    """The band totals the Excel band sheet prints on its รวมทั้งสิ้น row (each band: its kinds
    and their total; the band's total is every fourth number)."""
    sheet = load_workbook(io.BytesIO(data))[document["band_table"]["title"]]
    for row in sheet.iter_rows(values_only=True):
        if row[0] == "รวมทั้งสิ้น":
            return {band: int(row[4 * (i + 1)] or 0) for i, band in enumerate(Band)}
    raise AssertionError("no total row on the band sheet")


# The Word text of each document this module rendered, by its JSON: the glyph test reads the
# same documents' Word files that the tests before it rendered (a document is rendered from its
# data alone, so the same JSON is the same file).
WORD_TEXT: dict[str, str] = {}


def every_format(data: dict[str, Any], files: dict[str, bytes] | None = None) -> dict[str, str]:
    """The document as JSON, HTML, Word and Excel, each read back as text (the files rendered
    are put in `files` when given)."""
    rendered = {fmt: render(data, fmt) for fmt in ("html", "docx", "xlsx")}
    if files is not None:
        files.update(rendered)
    texts = {
        "json": to_json(data),
        "html": rendered["html"].decode(),
        "docx": docx_text(rendered["docx"]),
        "xlsx": xlsx_text(rendered["xlsx"]),
    }
    WORD_TEXT[texts["json"]] = texts["docx"]
    return texts


def word_text(data: dict[str, Any]) -> str:
    key = to_json(data)
    if key not in WORD_TEXT:
        WORD_TEXT[key] = docx_text(render(data, "docx"))
    return WORD_TEXT[key]


@pytest.fixture(scope="module")
def agencies(seeded: None, django_db_blocker: Any) -> Iterator[list[str]]:
    """Generated once for the module (its tests only read it) in a transaction rolled back
    afterwards: the organisations and people it makes are gone for the tests that follow."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate(fiscal_year=YEAR, scale=SCALE, seed=11)
        yield list(
            OperatingPlan.objects.filter(
                fiscal_year__year=YEAR, organization__code__startswith="gen-"
            ).values_list("organization__code", flat=True)
        )
        transaction.set_rollback(True)


def test_every_document_renders_for_every_generated_agency_and_reads_back_the_cores_figures(
    agencies: list[str],
) -> None:
    assert len(agencies) == SCALE.organizations
    edges_seen = projects_seen = 0
    for code in agencies:
        plan = OperatingPlan.objects.select_related("organization").get(
            organization__code=code, fiscal_year__year=YEAR
        )
        for months in (3, 6, 9, 12):
            round_ = Round.objects.get(fiscal_year__year=YEAR, months=months)
            progress = round_items(plan, round_)
            core = band_table((p.band_item for p in progress if p.counted), plan.thresholds)
            data = quarterly_report(code, YEAR, months).model_dump()
            shown = {b: data["band_table"]["totals"][b.value]["count"] for b in Band}
            assert shown == core.band_totals, (code, months)
            # The national tables count the bands stored at save time: the same table.
            assert (
                band_tables(fiscal_year=YEAR, round_months=months, organization_codes=[code])[code]
                == core
            )
            for p in progress:
                edge = next(
                    (e for e, t in BOUNDARY_TARGETS.items() if p.item.target_quantity == t), None
                )
                if edge is not None and p.counted and not p.later_quarter and not p.item.excluded:
                    annual = p.percentages.annual
                    assert annual is not None
                    assert edge - Decimal("0.0001") < annual < edge
                    edges_seen += 1
            if months == 6:
                files: dict[str, bytes] = {}
                texts = every_format(data, files)
                total = data["band_table"]["total"]["text"]
                for fmt in ("json", "html", "docx"):
                    assert total in texts[fmt], (code, fmt)
                assert xlsx_band_totals(files["xlsx"], data) == core.band_totals
                # The strategic table: each project (a KPI with its project's name) under its
                # strategy, with the core's percent, in every format.
                projects = {
                    p.pk: p
                    for p in Indicator.objects.filter(organization=plan.organization)
                    .exclude(project_name="")
                    .prefetch_related("responsibilities__organization")
                }
                printed = [
                    (group["name"], project)
                    for group in data["strategic"]["strategies"]
                    for project in group["projects"]
                ]
                assert len(printed) == len(projects), code
                projects_seen += len(printed)
                for strategy, project in printed:
                    [kpi] = [
                        k
                        for k in projects.values()
                        if k.project_name == project["name"] and k.number == project["number"]
                    ]
                    assert kpi.strategy is not None and strategy == kpi.strategy.name
                    units = "/".join(r.organization.label for r in kpi.responsibilities.all())
                    assert project["responsible_units"] == units
                    result = kpi.results.filter(round=round_, unit__isnull=True).first()
                    expected = indicator_result_percent(kpi, result) if result else None
                    assert project["percent"] == expected, (code, kpi.project_name)
                    for fmt in ("html", "docx", "xlsx"):
                        assert project["indicator"][:40] in texts[fmt], (code, fmt)
        ita_data = ita_plan_report(code, YEAR).model_dump()
        ita = every_format(ita_data)
        assert plan.organization.name in ita["docx"]
        strategic_rows = [g for g in ita_data["groups"] if g["label"] == "โครงการตามแผนยุทธศาสตร์"]
        assert sum(len(g["items"]) for g in strategic_rows) == len(projects), code
    # The boundary items were there and were counted below their edge.
    assert edges_seen > 0
    assert projects_seen > 0


def test_every_generated_agreement_and_scorecard_renders_with_the_cores_kpi_figures(
    agencies: list[str],
) -> None:
    agreements = list(
        Agreement.objects.filter(organization__code__in=agencies).select_related("organization")
    )
    assert agreements
    schemes = {a.scheme for a in agreements}
    kinds_seen: set[str] = set()
    units_seen = zero_seen = 0
    for agreement in agreements:
        code = agreement.organization.code
        document = agreement_report(code, YEAR).model_dump()
        assert document["linkage_table"]["rows"] == []
        formats = every_format(document)
        for fmt in ("docx", "html", "xlsx"):
            assert document["summary_form"]["title"] in formats[fmt]
        for months in (3, 12):
            round_ = Round.objects.get(fiscal_year__year=YEAR, months=months)
            scorecard = scorecard_report(code, YEAR, months).model_dump()
            card = json.loads(to_json(scorecard))
            texts = every_format(scorecard)
            kpis = {
                k.number: k
                for k in AgreementKPI.objects.filter(group__agreement=agreement).select_related(
                    "indicator"
                )
            }
            for group in card["groups"]:
                for row in group["kpis"]:
                    kpi = kpis[row["number"]]
                    kinds_seen.add(row["kind"])
                    result = IndicatorResult.objects.filter(
                        indicator=kpi.indicator, round=round_, unit=None
                    ).first()
                    assert result is not None
                    measured = result_measure(kpi.indicator, result)
                    figure = (
                        None if row["self"]["figure"] is None else Decimal(row["self"]["figure"])
                    )
                    assert figure == measured.figure, (code, row["number"])
                    assert row["self"]["passed"] is measured.passed
                    value = row["self"]["value"]
                    if row["kind"] == "milestone":
                        assert value == measured.level
                    elif row["kind"] == "yes_no":
                        assert value is measured.met
                    else:
                        assert (None if value is None else Decimal(value)) == measured.figure
                    assert row["self"]["passed_text"] == passed_label(measured.passed)
                    if row["kind"] == "ratio":
                        units = IndicatorResult.objects.filter(
                            indicator=kpi.indicator, round=round_, unit__isnull=False
                        )
                        if units:
                            units_seen += 1
                            assert Decimal(row["self"]["numerator"]) == sum(
                                u.numerator for u in units
                            )
                            assert Decimal(row["self"]["denominator"]) == sum(
                                u.denominator for u in units
                            )
                            assert len(row["units"]) == len(units)
                        if result.denominator == 0:
                            zero_seen += 1
                            assert row["self"]["result_text"] == "ไม่มีตัวหาร (B = 0)"
                            assert row["self"]["score"] is None
                    for fmt in ("docx", "html", "xlsx"):
                        assert row["self"]["result_text"] in texts[fmt], (code, fmt, row["number"])
    assert kinds_seen == {"quantity", "ratio", "change", "milestone", "yes_no"}
    assert units_seen > 0
    assert schemes  # three- and five-level agreements both occur across seeds (below)


def test_a_generated_scorecard_prints_as_pdf(agencies: list[str], office: None) -> None:
    agreement = Agreement.objects.filter(organization__code__in=agencies).first()
    assert agreement is not None
    data = scorecard_report(agreement.organization.code, YEAR, 12).model_dump()
    pdf = render(data, "pdf")
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert data["self_total_text"] in text
    assert data["title"].split()[0] in text


def _glyphs(weight: str) -> set[str]:
    from fontTools.ttLib import TTFont

    from tidtam.reports.render.fonts import font_file

    return {chr(code) for code in TTFont(font_file(weight)).getBestCmap()}


def test_every_character_a_document_prints_has_its_glyph_in_the_documents_font(
    agencies: list[str],
) -> None:
    """Word and the PDF draw every document in Sarabun: a character it lacks (a Greek Σ, an
    emoji) prints as an empty box in the PDF. Each document of the generated agencies and the
    seeds, as Word prints it, uses only characters of Sarabun's regular and bold faces."""
    from tidtam.reports.documents import DOCUMENTS

    drawn = _glyphs("Regular") & _glyphs("Bold")
    cases = [(code, org, YEAR, 6) for org in agencies for code in DOCUMENTS]
    cases += [
        ("quarterly", "onesqa", 2567, 6),
        ("ita-plan", "onesqa", 2567, 12),
        ("agreement", "ops-bic", 2564, 12),
        ("scorecard", "ops-bic", 2564, 12),
    ]
    missing: dict[str, set[str]] = {}
    for code, org, year, months in cases:
        doc = DOCUMENTS[code]
        if "docx" not in doc.formats:
            continue
        try:
            data = doc.data(org, year, months)
        except DomainError:
            continue  # a document the agency has nothing for (an agreement of no year)
        text = word_text(data)
        lacking = {c for c in text if c not in drawn and not c.isspace()}
        if lacking:
            missing[f"{code} {org}"] = lacking
    assert len(cases) > 20
    assert missing == {}
