"""What the meeting-room tests (issue 14) measure in the browser: boxes wider than the paper or the phone, scroll
areas without a cue, the English that Streamlit and plotly would show, the text of a printed PDF."""

from __future__ import annotations

import io
import os
import re
import time
import unicodedata
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

LEADERSHIP = {"tong-quan": "", "so-sanh": "so-sanh", "ban-do": "ban-do", "chi-so-noi-dung": "chi-so-noi-dung"}
PAGES = {**LEADERSHIP, "nhiem-vu": "nhiem-vu", "du-lieu": "du-lieu", "dang-nhap": "tai-khoan"}
PRINTABLE_WIDTH = 688  # A4 (794 px) less the 14 mm margins of the @page rule, in CSS pixels
SOURCE = "Nguồn: PAPI — CECODES, VFF-CRT, RTA, UNDP"

# Boxes of the page that reach past `width` outside any scroll area (the page itself does not count), and
# scroll areas wider than their box that give no cue. Streamlit's tab bar shows arrows of its own.
CUT = """(width) => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const scrolls = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  const name = (el) => el.getAttribute('data-testid') || String(el.className.baseVal ?? el.className) || el.tagName;
  const cut = [], silent = [];
  for (const el of main.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || (box.right <= width + 1 && box.left >= -1)) continue;
    let parent = el.parentElement, inside = false;
    while (parent && parent !== main) { if (scrolls(parent)) { inside = true; break; } parent = parent.parentElement; }
    if (!inside) cut.push(`${name(el)} ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  for (const el of main.querySelectorAll('*')) {
    if (!['auto', 'scroll'].includes(getComputedStyle(el).overflowX) || !el.getBoundingClientRect().height) continue;
    if (el.scrollWidth <= el.clientWidth + 2 || el.closest('[role="tablist"]')) continue;
    if (!el.closest('.papi-more')) silent.push(`${name(el)} ${el.scrollWidth}>${el.clientWidth}`);
  }
  return {cut: cut.slice(0, 8), silent: silent.slice(0, 8)};
}"""


# Every data grid of the page drawn: glide's scroll area is in its box (it comes a moment after the box).
GRIDS_DRAWN = """[...document.querySelectorAll('[data-testid="stDataFrame"]')]
  .every((box) => box.querySelector('.dvn-scroller'))"""


def settled_cut(page, width: int, key: str | None = None, seconds: float = 5) -> dict:
    """CUT's findings once the page has settled (tables lay out late): polled until every data grid is drawn and
    nothing is found, for at most `seconds`, and that finding returned (not a second look, which could see a table
    drawn since); else what is still found then. key: only that part of it."""
    empty = f"!r.{key}.length" if key else "!r.cut.length && !r.silent.length"
    check = f"(w) => {{ const r = ({CUT})(w); return ({GRIDS_DRAWN}) && {empty} ? r : false; }}"
    try:
        found = page.wait_for_function(check, arg=width, timeout=seconds * 1000).json_value()
    except PlaywrightTimeout:
        found = page.evaluate(CUT, width)
    return found[key] if key else found


# Known English strings of Streamlit's and plotly's own interface (the test's list, kept here).
ENGLISH = [
    "Upload", "Browse files", "Drag and drop", "per file", "files are not allowed", "Choose an option",
    "Choose options", "Download plot as a png", "Download plot as a PNG", "Zoom", "Pan", "Autoscale", "Reset axes",
    "Page not found", "Deploy", "Rerun", "Settings", "Fullscreen", "Close fullscreen", "Download as CSV", "Search",
    "Show/hide columns", "Collapse sidebar", "Expand sidebar", "Main menu", "App pages", "Skip to main content",
    "Clear all", "Selected values", "Show password", "Link to heading", "Running...", "Stop", "Vega visualization",
    "No results", "st.iframe", "Box Select", "Lasso Select", "Reset view", "median:", "upper fence:", "file upload",
]  # fmt: skip
# Every text a user can see or reach: visible text (icons' ligature names excepted) and tooltips, labels,
# placeholders of the page and of the frames it holds.
UI_TEXT = """() => {
  const texts = [];
  const collect = (doc) => {
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, parent = node.parentElement;
      if (!parent || parent.closest('script, style, noscript, [data-testid="stIconMaterial"]')) continue;
      if (node.nodeValue.trim()) texts.push(node.nodeValue.trim());
    }
    for (const el of doc.querySelectorAll('[title], [aria-label], [placeholder], [data-title], [alt]'))
      for (const a of ['title', 'aria-label', 'placeholder', 'data-title', 'alt'])
        if (el.getAttribute(a)) texts.push(el.getAttribute(a));
  };
  collect(document);
  for (const frame of document.querySelectorAll('iframe')) { try { collect(frame.contentDocument); } catch (e) {} }
  return texts;
}"""


def english_in(texts: list[str]) -> list[str]:
    """The known English strings found, each as a whole word or phrase."""
    found = []
    for text in texts:
        for english in ENGLISH:
            if re.search(rf"(?<![A-Za-z]){re.escape(english)}(?![A-Za-z])", text):
                found.append(f"{english!r} in {text[:80]!r}")
    return found


def squash(text: str) -> str:
    """Text without its spaces, composed (NFC): pypdf puts spaces around some Vietnamese letters it extracts."""
    return unicodedata.normalize("NFC", re.sub(r"\s+", "", text))


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF (pypdf), squashed."""
    from pypdf import PdfReader

    if folder := os.environ.get("PAPI_KEEP_PDF"):  # to look at what was printed: PAPI_KEEP_PDF=/tmp/pdfs
        (Path(folder) / f"{time.time_ns()}.pdf").write_bytes(content)
    reader = PdfReader(io.BytesIO(content))
    return [squash(page.extract_text() or "") for page in reader.pages]


def pdf_size(content: bytes) -> tuple[float, float]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    return float(box.width), float(box.height)
