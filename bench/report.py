"""Benchmark: the quarterly report of an organisation with 1,000 work items as DOCX, against a
bare docxtpl render of the same prepared context (the limit), and the PDF time.

    .venv/bin/python bench/report.py                    # 1,000 work items, best of 5
    .venv/bin/python bench/report.py --work-items 300   # smaller, for a quick run

Works in a throwaway SQLite database of its own (generated with `tidtam generate`'s code), so it
never touches yours. Exit 1 when tidtam's DOCX is more than --limit times the bare render, slower
than --seconds, or when the file does not hold the report's figures.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="tidtam-bench-report-"))
os.environ["TIDTAM_VAR_DIR"] = str(WORK)
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TIDTAM_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from docx import Document  # noqa: E402
from docxtpl import DocxTemplate, InlineImage  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from tidtam.orgs.models import Organization  # noqa: E402
from tidtam.plans.models import WorkItem  # noqa: E402
from tidtam.reports.documents import DOCUMENTS  # noqa: E402
from tidtam.reports.render import docx as docx_render  # noqa: E402
from tidtam.reports.render import render  # noqa: E402
from tidtam.reports.render.chart import budget_chart_png  # noqa: E402
from tidtam.reports.render.pdf import office_binary  # noqa: E402
from tidtam.seeds.generate import Scale, generate  # noqa: E402


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def bare_docxtpl(path: Path, context: dict[str, object], chart_png: bytes) -> bytes:
    """What docxtpl alone costs: load the template, render the prepared context, save."""
    template = DocxTemplate(str(path))
    # An InlineImage belongs to one template; rebind the same picture (no drawing here).
    context = {
        **context,
        "chart": InlineImage(template, io.BytesIO(chart_png), width=docx_render.Mm(150)),
    }
    template.render(context, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def workbook_values(xlsx: bytes) -> list[tuple[str, list[list[object]]]]:
    """Every sheet's cell values, as openpyxl reads them back from tidtam's file."""
    book = load_workbook(io.BytesIO(xlsx))
    return [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in book]


def bare_openpyxl(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    """What openpyxl alone costs: the same values in the same cells, no styles, saved."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--limit", type=float, default=1.5, help="ratio allowed against docxtpl")
    parser.add_argument("--seconds", type=float, default=5.0, help="time allowed for the DOCX")
    parser.add_argument(
        "--xlsx-limit", type=float, default=3.0, help="ratio allowed against bare openpyxl"
    )
    parser.add_argument("--fy", type=int, default=2567)
    args = parser.parse_args(argv)

    call_command("migrate", verbosity=0)
    scale = Scale(organizations=1, work_items=args.work_items, kpis=40, budget_lines=12)
    generate(fiscal_year=args.fy, scale=scale, seed=1)
    org = Organization.objects.filter(plans__isnull=False).first()
    if org is None:
        print("ไม่มีหน่วยงานที่มีแผน: การสร้างข้อมูลจำลองผิดพลาด")
        return 1
    items = WorkItem.objects.filter(plan__organization=org).count()
    print(f"หน่วยงาน {org.code}: {items:,} รายการ ปีงบประมาณ {args.fy} รอบ 6 เดือน")

    months = 6
    started = time.perf_counter()
    # The typed structure, as the document jobs render it (tidtam.reports.content).
    report = DOCUMENTS["quarterly"].content(org.code, args.fy, months)
    build_seconds = time.perf_counter() - started
    data = report.model_dump()
    lagging = len(data["lagging_projects"])

    _, context = docx_render.prepare(report)
    chart_png = budget_chart_png(data["budget"]["chart"])
    path = docx_render.template_path("quarterly")

    tidtam_seconds = best_of(args.repeat, lambda: render(report, "docx"))
    bare_seconds = best_of(args.repeat, lambda: bare_docxtpl(path, context, chart_png))

    # The file must hold what the report says, or the timing means nothing.
    document = Document(io.BytesIO(render(report, "docx")))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = sum(len(t.rows) for t in document.tables)
    ok = data["summary_sentence"] in body and cells > lagging * 3

    # Excel: tidtam's workbook (fonts, fills, borders, wrapped rows, number formats) against
    # openpyxl writing the same values without a style.
    xlsx = render(report, "xlsx")
    sheets = workbook_values(xlsx)
    xlsx_cells = sum(v is not None for _, rows in sheets for row in rows for v in row)
    xlsx_seconds = best_of(args.repeat, lambda: render(report, "xlsx"))
    bare_xlsx_seconds = best_of(args.repeat, lambda: bare_openpyxl(sheets))
    xlsx_ratio = xlsx_seconds / bare_xlsx_seconds
    xlsx_ok = any(
        data["summary_sentence"] in str(value) for _, rows in sheets for r in rows for value in r
    )

    pdf_seconds = None
    if office_binary():
        pdf_seconds = best_of(1, lambda: render(report, "pdf"))

    ratio = tidtam_seconds / bare_seconds
    print(f"ข้อมูลรายงาน (ฐานข้อมูล → โครงสร้าง): {build_seconds:.3f} s (ไม่นับในอัตราส่วน)")
    print(f"โครงการล่าช้าในรายงาน: {lagging:,} แถวในตาราง {cells:,} แถวทั้งเอกสาร")
    print(
        f"DOCX ของ tidtam (เตรียมข้อมูล + วาดแผนภาพ + docxtpl): {tidtam_seconds:.3f} s (ดีที่สุดจาก {args.repeat})"
    )
    print(f"docxtpl เปล่า (บริบทเดียวกันที่เตรียมแล้ว) = เพดาน: {bare_seconds:.3f} s")
    print(f"อัตราส่วน: {ratio:.2f} (ยอมได้ไม่เกิน {args.limit}); เวลา DOCX ไม่เกิน {args.seconds} s")
    print(
        f"XLSX ของ tidtam ({len(sheets)} แผ่นงาน {xlsx_cells:,} เซลล์): {xlsx_seconds:.3f} s;"
        f" openpyxl เปล่า (ค่าเดียวกันในเซลล์เดียวกัน ไม่มีรูปแบบ) = เพดาน: {bare_xlsx_seconds:.3f} s;"
        f" อัตราส่วน {xlsx_ratio:.2f} (ยอมได้ไม่เกิน {args.xlsx_limit})"
    )
    if pdf_seconds is None:
        print("PDF: ไม่มี LibreOffice ในเครื่องนี้ (scripts/ensure-office.sh ติดตั้งให้)")
    else:
        print(f"PDF (DOCX + LibreOffice): {pdf_seconds:.3f} s (ครั้งเดียว)")
    if not ok:
        print("ไม่ผ่าน: ไฟล์ DOCX ไม่มีตัวเลขของรายงานครบ")
        return 1
    if not xlsx_ok:
        print("ไม่ผ่าน: ไฟล์ XLSX ไม่มีประโยคสรุปของรายงาน")
        return 1
    if ratio > args.limit or tidtam_seconds > args.seconds or xlsx_ratio > args.xlsx_limit:
        print("ไม่ผ่าน")
        return 1
    print("ผ่าน")
    return 0


if __name__ == "__main__":
    sys.exit(main())
