"""The characters text from outside may hold, in one place (issue 20): those XML 1.0, Word and Excel can.

XML 1.0 (and so every DOCX and XLSX) cannot hold the C0 control characters but tab, line feed and carriage
return, nor U+FFFE, U+FFFF or a lone surrogate; openpyxl refuses them (IllegalCharacterError) and python-docx
too ("All strings must be XML compatible"), so one such character stored once broke the report and the
downloads of everyone. Three uses of the one rule:
- at the door, `problem` says where the first such character of a text is, for a located refusal: every cell
  of an uploaded file (files.tabular), its file name, the plan's details, a status's note and evidence;
- at the exit, `xml_safe` puts U+FFFD (the replacement character "�") in the place of each, so that a value
  stored by any other way still cannot break a DOCX, an XLSX or a CSV (files.export, present.report);
- on a terminal, `printable` writes every control character (C0 but line feed and tab, DEL, C1) as `\\u001b`,
  so a cell holding ESC ] 0 ; … BEL cannot retitle or clear the screen of whoever runs the command line.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
# XML 1.0's Char production, negated: what no XML file (hence no DOCX or XLSX) can hold.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# What a terminal may act on: C0 but line feed and tab, DEL and C1 (U+009B is a one-character CSI).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def code(character: str) -> str:
    """'\\x01' -> 'U+0001'."""
    return f"U+{ord(character):04X}"


def problem(text: str) -> str | None:
    """None if the text can be stored and written anywhere; else a Vietnamese message naming the first
    character that cannot and where it is."""
    found = NOT_XML.search(text)
    if found is None:
        return None
    where = f"ký tự thứ {found.start() + 1:,}".replace(",", ".")
    return (
        f"Có ký tự không hợp lệ {code(found.group())} ({where}): ký tự điều khiển hoặc ký tự mà Word, Excel "
        "và XML không chứa được. Hãy xóa ký tự đó rồi thử lại."
    )


def xml_safe(text: str) -> str:
    """The text with U+FFFD in place of each character XML 1.0 cannot hold (the text itself when it has none)."""
    return NOT_XML.sub(REPLACEMENT, text)


def shown(text: str) -> str:
    """A text as a problem shows it: each character that cannot be stored written as its code, '\\u0001'."""
    return NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable(text: str) -> str:
    """For a terminal: control characters (but line feed and tab) written as '\\u001b'; valid inside JSON too."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
