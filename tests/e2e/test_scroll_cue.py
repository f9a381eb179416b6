"""The phone's scroll cue (ui/assets/client.js) in Debian's Chromium, on a bare page holding the dashboard's styles
and code: a table wider than its box says so as soon as it is drawn, and again whenever its size changes — not
when a timer next runs. A busy machine's timers wait behind drawing (a phone check once found the upload history's
table drawn and its cue not yet set), so the page's timers are stopped here: only the other paths are left to set
it."""

from __future__ import annotations

import pytest

from ui import client

NO_TIMERS = "<script>window.setInterval = () => 0;</script>"  # runs before the dashboard's code
# A data grid as Streamlit draws it: a box, glide's scroll area in it, and the columns inside that.
GRID = """([inner, outer]) => {
  const box = document.createElement('div');
  box.setAttribute('data-testid', 'stDataFrame');
  box.innerHTML = `<div class="dvn-scroller" style="overflow-x:auto;width:${outer}px">`
    + `<div class="columns" style="width:${inner}px;height:40px"></div></div>`;
  document.body.appendChild(box);
}"""
OWN_TABLE = """([inner, outer]) => {  // html_table.py's table in its scroll box (its CSS gives it 600 px at least)
  const box = document.createElement('div');
  box.className = 'papi-scroll';
  box.style.width = outer + 'px';
  box.innerHTML = `<table class="papi-table" style="width:${inner}px"><tr><td>42,86</td></tr></table>`;
  document.body.appendChild(box);
}"""
CUED = "(selector) => document.querySelector(selector).classList.contains('papi-more')"
NOT_CUED = "(selector) => !document.querySelector(selector).classList.contains('papi-more')"
TWO_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture
def bare(page):
    page.set_content(
        f"<html><head>{NO_TIMERS}{client.style()}<script>{client.code()}</script></head><body></body></html>"
    )
    assert page.evaluate("() => window.papiClient === true")
    return page


def set_width(page, selector: str, width: int) -> None:
    page.evaluate("([s, w]) => { document.querySelector(s).style.width = w + 'px'; }", [selector, width])


def test_a_data_grid_wider_than_its_box_says_so_as_it_is_drawn(bare):
    bare.evaluate(GRID, [900, 300])
    assert bare.evaluate(CUED, "[data-testid='stDataFrame']")  # in the same task that drew it: no frame without


def test_the_dashboard_s_own_wide_table_says_so_as_it_is_drawn(bare):
    bare.evaluate(OWN_TABLE, [900, 300])
    assert bare.evaluate(CUED, "div.papi-scroll")


def test_the_cue_follows_the_grid_s_size_without_a_timer(bare):
    bare.evaluate(GRID, [200, 300])
    bare.evaluate(TWO_FRAMES)
    assert bare.evaluate(NOT_CUED, "[data-testid='stDataFrame']")  # it fits: nothing to say
    set_width(bare, ".columns", 900)  # columns drawn wider later (glide sizes them after the first paint)
    bare.wait_for_function(CUED, arg="[data-testid='stDataFrame']", timeout=5000)
    set_width(bare, ".dvn-scroller", 1000)  # the box grew (a phone turned): everything in sight again
    bare.wait_for_function(NOT_CUED, arg="[data-testid='stDataFrame']", timeout=5000)


def test_the_cue_follows_the_dashboard_s_own_table_without_a_timer(bare):
    bare.evaluate(OWN_TABLE, [700, 1000])
    bare.evaluate(TWO_FRAMES)
    assert bare.evaluate(NOT_CUED, "div.papi-scroll")
    set_width(bare, "table.papi-table", 1400)
    bare.wait_for_function(CUED, arg="div.papi-scroll", timeout=5000)


def test_a_table_taken_off_the_page_is_let_go(bare):
    """What watches the tables' size must not keep them: else every grid a session ever drew stays in memory."""
    bare.evaluate(
        """() => { const box = document.createElement('div');
          box.setAttribute('data-testid', 'stDataFrame');
          box.innerHTML = '<div class="dvn-scroller" style="width:300px"><div style="width:900px">42,86</div></div>';
          document.body.appendChild(box);
          window.gone = new WeakRef(box.querySelector('.dvn-scroller')); }"""
    )
    bare.evaluate(TWO_FRAMES)
    assert bare.evaluate(CUED, "[data-testid='stDataFrame']")  # watched, and cued
    bare.evaluate("() => document.querySelector(\"[data-testid='stDataFrame']\").remove()")
    bare.evaluate(GRID, [200, 300])  # the next table drawn: the cue looks at the page again
    bare.evaluate(TWO_FRAMES)
    bare.context.new_cdp_session(bare).send("HeapProfiler.collectGarbage")
    assert bare.evaluate("() => window.gone.deref() === undefined")
