"""files.decoding: the bytes of an uploaded text file -> text, in the encodings Vietnamese offices produce;
a byte that does not decode is a problem located by line, never an exception and never a silent replacement.

Every file here is the verified seed file data/scores/papi_2022.csv, written in another encoding or damaged."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from helpers import xlsx_bytes

from papi_analysis.files.decoding import NOT_TEXT, decode_text
from papi_analysis.paths import SCORES_DIR
from papi_analysis.problems import InvalidFile

FILE = "papi_2022.csv"
TEXT = (SCORES_DIR / FILE).read_text(encoding="utf-8")
LINES = TEXT.splitlines()
SOC_TRANG_LINE = next(n for n, line in enumerate(LINES, start=1) if line.startswith("2022,Sóc Trăng,"))


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # the five combining tone marks Windows-1258 has


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: letters it has precomposed, the others as a base letter and a tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = next(mark for mark in parts if mark in TONE_MARKS)
            out += unicodedata.normalize("NFC", parts.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def problems_of(content: bytes, file: str = FILE) -> list:
    with pytest.raises(InvalidFile) as refused:
        decode_text(content, file)
    return refused.value.problems


def test_the_seed_file_is_utf8_and_reads_unchanged():
    assert SOC_TRANG_LINE == 46
    assert decode_text(TEXT.encode("utf-8"), FILE) == (TEXT, "UTF-8")


def test_a_utf8_bom_is_named_and_dropped():
    text, encoding = decode_text(codecs.BOM_UTF8 + TEXT.encode("utf-8"), FILE)
    assert encoding == "UTF-8 (BOM)" and text == TEXT and not text.startswith("\ufeff")


@pytest.mark.parametrize(
    "content",
    [
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # no BOM: found by the zero byte beside every ASCII character
        TEXT.encode("utf-16-be"),
    ],
    ids=["le-bom", "be-bom", "le", "be"],
)
def test_utf16_in_either_byte_order_with_or_without_bom(content):
    assert decode_text(content, FILE) == (TEXT, "UTF-16")


def test_windows_1258_reads_every_name_with_its_diacritics():
    content = cp1258(TEXT)
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # not UTF-8 at all: the fallback is the only reading
    text, encoding = decode_text(content, FILE)
    assert encoding == "Windows-1258"
    # Windows-1258 writes some tone marks as combining characters; NFC gives back the published names
    assert unicodedata.normalize("NFC", text) == TEXT
    assert "2022,Sóc Trăng,4.492063" in unicodedata.normalize("NFC", text)


def test_a_bad_byte_in_utf8_is_located_on_its_line_not_replaced():
    content = TEXT.encode("utf-8").replace(b"42.85590744", b"42.85\xff90744")
    [problem] = problems_of(content)
    assert (problem.file, problem.row, problem.value) == (FILE, SOC_TRANG_LINE, "byte ff")
    assert str(problem) == (
        "papi_2022.csv, dòng 46 (giá trị 'byte ff'): Byte không hợp lệ trong bảng mã UTF-8; "
        "tệp bị hỏng ở dòng này hoặc không phải UTF-8."
    )


def test_a_bad_byte_after_a_bom_is_located_on_its_line():
    content = codecs.BOM_UTF8 + TEXT.encode("utf-8").replace(b"42.85590744", b"42.85\xc390744")
    [problem] = problems_of(content)
    assert (problem.row, problem.value) == (SOC_TRANG_LINE, "byte c3")


def test_a_utf8_file_cut_inside_its_last_character_says_it_was_cut():
    content = TEXT.encode("utf-8")
    last_multibyte = max(i for i, byte in enumerate(content) if byte >= 0xC0)  # the lead byte of 'á' in 'Đồng Tháp'
    [problem] = problems_of(content[: last_multibyte + 1])
    assert problem.row == len(LINES) and problem.value == f"byte {content[last_multibyte]:02x}"
    assert problem.message == "Tệp kết thúc giữa một ký tự UTF-8: tệp có thể bị cắt cụt (thiếu phần cuối)."


def test_twenty_bad_places_are_listed_and_the_rest_counted():
    lines = [line.encode("utf-8") + (b"\xff" if n % 2 else b"") for n, line in enumerate(LINES, start=1)]
    problems = problems_of(b"\n".join(lines))
    bad_lines = [n for n in range(1, len(LINES) + 1) if n % 2]
    assert [p.row for p in problems[:20]] == bad_lines[:20]
    assert problems[20].row is None and problems[20].message == f"Còn {len(bad_lines) - 20} chỗ byte không hợp lệ khác."
    assert len(problems) == 21


def test_a_lone_surrogate_in_utf16_is_located():
    lines = TEXT.encode("utf-16-le").split("\n".encode("utf-16-le"))
    lines[2] += b"\x00\xd8"  # half of a surrogate pair at the end of line 3
    [problem] = problems_of(codecs.BOM_UTF16_LE + "\n".encode("utf-16-le").join(lines))
    assert problem.row == 3 and problem.value == "byte 00 d8"
    assert problem.message == "Ký tự UTF-16 không hợp lệ (nửa cặp thay thế đơn lẻ); tệp bị hỏng ở dòng này."


def test_a_utf16_file_cut_inside_a_character_says_it_was_cut():
    content = codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")
    [problem] = problems_of(content[:-1])
    assert problem.message == "Tệp kết thúc giữa một ký tự UTF-16: tệp có thể bị cắt cụt (thiếu phần cuối)."


def test_a_workbook_is_not_text():
    [problem] = problems_of(xlsx_bytes({"2022": [["year", "province", "TOTAL"], [2022, "Sóc Trăng", 42.85590744]]}))
    assert problem.message == NOT_TEXT and problem.row is None


def test_bytes_no_candidate_encoding_reads_ask_for_utf8():
    # 0x81 and 0x8d are undefined in Windows-1258, and the lone 0xc3 bytes make this no UTF-8 either
    [problem] = problems_of(b"year,province\n2022,S\xc3c Tr\x81ng\n2022,\x8d\n")
    assert problem.message == (
        "Không nhận ra bảng mã của tệp. Hãy lưu tệp dưới dạng CSV UTF-8 (Excel: Lưu thành → CSV UTF-8)."
    )


def test_an_empty_file_is_empty_text():
    assert decode_text(b"", FILE) == ("", "UTF-8")


def test_crlf_line_endings_locate_the_same_line():
    content = TEXT.replace("\n", "\r\n").encode("utf-8").replace(b"42.85590744", b"42.85\xff90744")
    assert [p.row for p in problems_of(content)] == [SOC_TRANG_LINE]


def test_cr_line_endings_locate_the_same_line():
    content = TEXT.replace("\n", "\r").encode("utf-8").replace(b"42.85590744", b"42.85\xff90744")
    assert [p.row for p in problems_of(content)] == [SOC_TRANG_LINE]
