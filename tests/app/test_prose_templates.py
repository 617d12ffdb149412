"""Agency wording in templates, not code (issue 10, point 4): a document's sentences are files an
installation rewords for every agency or for one, and a broken file gets a Thai answer."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from docx import Document as WordDocument

from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.reports.documents import DOCUMENTS
from tidtam.reports.prose import PACKAGE_DIR
from tidtam.reports.render import render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

SHIPPED_INTRO = (
    "ผลการดำเนินงานและผลการใช้จ่ายงบประมาณประจำปีงบประมาณ พ.ศ. 2567 ไตรมาสที่ 2/2567 "
    "รวมทั้งรายงานผลการประเมินผลการดำเนินงานตามแผนกลยุทธ์ของ สมศ."
)


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def write(root: Path, name: str, text: str) -> None:
    path = root / "prose" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def quarterly(org: str = "onesqa") -> dict[str, Any]:
    return DOCUMENTS["quarterly"].data(org, 2567, 6)


def test_the_shipped_sentences_are_seed_000s_and_every_key_has_a_file(var_dir: Path) -> None:
    data = quarterly()
    assert data["texts"]["intro"].startswith(SHIPPED_INTRO)
    assert data["summary_sentence"].startswith("ผลการดำเนินงาน สมศ. จำนวนทั้งสิ้น 34 โครงการ")
    shipped = {path.stem for path in (PACKAGE_DIR / "quarterly").glob("*.txt")}
    others = {
        "summary_sentence",
        "as_of_line",
        "strategic_heading",
        "budget_paragraph",
        "budget_line",
    }
    assert set(data["texts"]) | others == shipped
    assert data["budget"]["lines"][0]["text"].startswith("1. งบตามแผนยุทธศาสตร์ มีผลการเบิกจ่าย")


def test_an_installation_rewords_a_sentence_for_every_agency_and_every_format(
    var_dir: Path,
) -> None:
    write(
        var_dir,
        "quarterly/intro.txt",
        "รายงานของ {{ org.label }}\nประจำ{{ quarter_label }}\n"
        "แผนกลยุทธ์ {{ strategy_count }} กลยุทธ์ เกณฑ์ร้อยละ {{ low }}",
    )
    data = quarterly()
    # A line break in the file is a space in the sentence.
    expected = "รายงานของ สมศ. ประจำไตรมาสที่ 2/2567 แผนกลยุทธ์ 4 กลยุทธ์ เกณฑ์ร้อยละ 50"
    assert data["texts"]["intro"] == expected
    docx = WordDocument(io.BytesIO(render(data, "docx")))
    assert expected in [p.text for p in docx.paragraphs]
    assert expected in render(data, "html").decode()
    # The other sentences keep the shipped wording.
    assert data["texts"]["chart_caption"].startswith("แผนภาพที่ 1 แสดงสรุปผลการใช้จ่ายงบประมาณ")


def test_one_agencys_wording_wins_over_the_installations_and_touches_no_other(
    var_dir: Path,
) -> None:
    write(var_dir, "quarterly/round_heading.txt", "ผลรอบ {{ months }} เดือน (ทุกหน่วยงาน)")
    write(var_dir, "onesqa/quarterly/round_heading.txt", "ผลการดำเนินงานรอบ {{ months }} เดือน")
    assert quarterly()["texts"]["round_heading"] == "ผลการดำเนินงานรอบ 6 เดือน"
    out = io.StringIO()
    call_command("report", "ita-progress", "--org", "onesqa", "--fy", "2567", stdout=out)
    assert json.loads(out.getvalue())["texts"]["round_heading"] == "ผลการดำเนินงานรอบ 6 เดือน"


def test_a_broken_wording_file_gets_a_thai_answer_and_writes_nothing(
    var_dir: Path, tmp_path: Path
) -> None:
    write(var_dir, "quarterly/later_intro.txt", "โครงการ {% if later %}ไตรมาส {{ later }}")
    with pytest.raises(DomainError) as caught:
        quarterly()
    assert caught.value.code == "prose_invalid"
    message = message_for(caught.value)
    assert "later_intro" in message and "quarterly" in message and "แก้ไฟล์" in message
    target = tmp_path / "q.docx"
    with pytest.raises(CommandError) as refused:
        call_command(
            "report", "quarterly", "--org", "onesqa", "--fy", "2567", "--round", "6",
            "--format", "docx", "-o", str(target),
        )  # fmt: skip
    assert "later_intro" in str(refused.value)
    assert not target.exists()


def test_an_unclosed_placeholder_is_refused_not_printed(var_dir: Path) -> None:
    write(var_dir, "quarterly/intro.txt", "ผลการดำเนินงานของ {{ org.label \n")
    with pytest.raises(DomainError) as caught:
        quarterly()
    assert caught.value.code == "prose_invalid"
    assert "ไม่ได้ปิด" in message_for(caught.value)
