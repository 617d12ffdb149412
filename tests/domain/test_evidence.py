"""Evidence files: the types agencies attach, checked by name and by content, and a size limit."""

import pytest

from tidtam.domain.errors import DomainError
from tidtam.domain.evidence import ALLOWED_EXTENSIONS, check_evidence, extension, file_name
from tidtam.messages import message_for

MB = 1024 * 1024


def test_a_pdf_within_the_limit_is_kept() -> None:
    assert check_evidence("รายงานการประชุม.PDF", 2 * MB, b"%PDF-1.7\n", max_bytes=20 * MB) == "pdf"


def test_office_files_and_photos_are_kept() -> None:
    assert check_evidence("ผล.xlsx", 10, b"PK\x03\x04rest", max_bytes=MB) == "xlsx"
    assert check_evidence("ภาพกิจกรรม.jpg", 10, b"\xff\xd8\xff\xe0", max_bytes=MB) == "jpg"
    assert "pdf" in ALLOWED_EXTENSIONS and "exe" not in ALLOWED_EXTENSIONS


def test_a_file_of_another_type_is_refused_with_what_is_allowed() -> None:
    with pytest.raises(DomainError) as caught:
        check_evidence("setup.exe", 10, b"MZ", max_bytes=MB)
    assert caught.value.code == "evidence_type"
    assert "PDF" in message_for(caught.value) and '"setup.exe"' in message_for(caught.value)


def test_a_file_without_an_extension_is_refused() -> None:
    assert extension("README") == ""
    with pytest.raises(DomainError) as caught:
        check_evidence("README", 10, b"text", max_bytes=MB)
    assert caught.value.code == "evidence_type"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        check_evidence("ว่าง.pdf", 0, b"", max_bytes=MB)
    assert caught.value.code == "evidence_empty"


def test_a_file_over_the_limit_says_its_size_and_the_limit() -> None:
    with pytest.raises(DomainError) as caught:
        check_evidence("ภาพ.png", 25 * MB, b"\x89PNG\r\n\x1a\n", max_bytes=20 * MB)
    assert message_for(caught.value).startswith('ไฟล์ "ภาพ.png" มีขนาด 25 MB เกินกำหนด 20 MB')


def test_a_renamed_program_does_not_pass_as_a_pdf() -> None:
    with pytest.raises(DomainError) as caught:
        check_evidence("หลักฐาน.pdf", 100, b"MZ\x90\x00", max_bytes=MB)
    assert caught.value.code == "evidence_content"
    assert "ไม่ใช่ไฟล์ PDF" in message_for(caught.value)


def test_a_file_goes_by_its_own_name_or_by_the_word_file() -> None:
    assert file_name("ผลการดำเนินงาน.pdf") == "ผลการดำเนินงาน.pdf"
    assert file_name("") == file_name(None) == "ไฟล์"
