"""The PDFs, checked like a reader would: the text copies out as Thai (ำ intact), the figures are
the seeds', the fonts are Sarabun, the pages are A4; each page is kept as a PNG to look at.

The PNGs go to test-artifacts/pdf/ (TIDTAM_TEST_ARTIFACTS to change it); CI keeps them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import ARTIFACTS, report_data, squash
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.reports.render import pdf as pdf_module
from tidtam.reports.render import render

pytestmark = pytest.mark.django_db

DOCUMENTS = {
    "quarterly": ("quarterly", "onesqa", 2567, 6),
    "agreement": ("agreement", "ops-bic", 2564, 12),
    "scorecard": ("scorecard", "ops-bic", 2564, 12),
    "ita-plan": ("ita-plan", "onesqa", 2567, 12),
}


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdfs(
    django_db_setup: None,
    django_db_blocker: Any,
    seeded: None,
    office: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path]:
    """Each document made once as a PDF, its text extracted and its pages drawn as PNG, in a
    folder of this test process (the suite runs in two); copied to test-artifacts/pdf after."""
    folder = tmp_path_factory.mktemp("pdf")
    kept = ARTIFACTS / "pdf"
    kept.mkdir(parents=True, exist_ok=True)
    made = {}
    with django_db_blocker.unblock():
        for name, (code, org, year, months) in DOCUMENTS.items():
            path = folder / f"{name}.pdf"
            path.write_bytes(render(report_data(code, org, year, months), "pdf"))
            run("pdftoppm", "-r", "70", "-png", str(path), str(folder / name))
            made[name] = path
            for old in kept.glob(f"{name}-*.png"):
                old.unlink(missing_ok=True)
            for drawn in [path, *folder.glob(f"{name}-*.png")]:
                shutil.copyfile(drawn, kept / drawn.name)
    return made


def text_of(path: Path) -> str:
    # -raw: the text in the order the PDF stores it, which is what copy and search use. In its
    # default layout mode pdftotext files a raised tone mark of a *bold* line (ชี้ in headings)
    # under the next line ("ตัวชีว" / "้ ัด"); the stored text itself is right.
    return run("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-")


def test_pdf_text_copies_out_as_thai_with_sara_am_intact(pdfs: dict[str, Path]) -> None:
    quarterly, agreement = text_of(pdfs["quarterly"]), text_of(pdfs["agreement"])
    assert "ดำเนินการ" in quarterly and "ผลการดำเนินงาน" in quarterly
    assert "น้ำหนัก" in agreement and "คำรับรอง" in agreement
    # What WeasyPrint's text layer turns ดำเนิน into: must never appear.
    assert "ดาเนิน" not in quarterly + agreement
    assert "น้าหนัก" not in agreement


def test_quarterly_pdf_reads_the_seeds_figures_and_sentences(
    pdfs: dict[str, Path], seed_000_text: str
) -> None:
    text = text_of(pdfs["quarterly"])
    flat = squash(text)
    data = report_data("quarterly", "onesqa", 2567, 6)
    assert squash(data["summary_sentence"]) in flat
    assert squash(data["summary_sentence"]) in seed_000_text
    assert squash(data["as_of_line"]) in flat
    for figure in (
        "80.3213",
        "364.8576",
        "22.01",
        "5.45",
        "50.91",
        "34.55",
        "9.09",
        "59.67",
        "171.52",
    ):
        assert figure in text, figure
    for line in data["budget"]["lines"]:
        assert squash(line["text"]) in flat


def test_agreement_pdf_has_parties_signature_dates_and_every_kpi_sheet(
    pdfs: dict[str, Path],
) -> None:
    text = text_of(pdfs["agreement"])
    flat = squash(text)
    assert "นายสุภัทร จำปาทอง" in text and "นายสมทรง งามวงษ์" in text
    assert flat.count(squash("วันที่ 10 เดือน กุมภาพันธ์ พ.ศ. 2564")) == 2
    assert flat.count(squash("ตัวชี้วัด สต. ตามคำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2564")) == 11
    assert "02-6285646 ต่อ 116" in text


def test_pdfs_are_a4_drawn_only_with_sarabun(pdfs: dict[str, Path]) -> None:
    for name, path in pdfs.items():
        info = run("pdfinfo", str(path))
        assert "(A4)" in info, name
        fonts = [line.split()[0] for line in run("pdffonts", str(path)).splitlines()[2:]]
        assert fonts, name
        # Subset names look like ABCDEF+Sarabun-Bold; no system fallback font may sneak in.
        assert all(font.split("+")[-1].startswith("Sarabun") for font in fonts), (name, fonts)


def test_every_pdf_page_is_kept_as_a_png(pdfs: dict[str, Path]) -> None:
    for name, path in pdfs.items():
        pages = int(
            next(
                line for line in run("pdfinfo", str(path)).splitlines() if line.startswith("Pages:")
            ).split()[1]
        )
        pngs = sorted(path.parent.glob(f"{name}-*.png"))
        assert len(pngs) == pages, name
        assert all(png.read_bytes()[:4] == b"\x89PNG" for png in pngs)


def test_pdf_without_libreoffice_says_so_in_thai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "office_binary", lambda: None)
    with pytest.raises(DomainError) as caught:
        pdf_module.docx_to_pdf(b"not used")
    message = message_for(caught.value)
    assert "LibreOffice" in message and "PDF" in message and "DOCX" in message


def test_sarabun_profile_scales_sizes_and_names_the_render_font() -> None:
    import io
    import zipfile

    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(
            "word/styles.xml",
            '<w:rFonts w:cs="TH Sarabun New"/><w:sz w:val="32"/><w:szCs w:val="28"/>',
        )
        archive.writestr("word/media/chart.png", b"TH Sarabun New")
    out = zipfile.ZipFile(io.BytesIO(pdf_module.sarabun_profile(source.getvalue())))
    # 16 pt of TH Sarabun New looks like 11 pt of Sarabun; 14 pt like 9.5 pt.
    assert out.read("word/styles.xml").decode() == (
        '<w:rFonts w:cs="Sarabun"/><w:sz w:val="22"/><w:szCs w:val="19"/>'
    )
    assert out.read("word/media/chart.png") == b"TH Sarabun New"
