// The dashboard's own code in the browser, in the page's <head> (scripts/app_server.py puts it into the
// index.html it serves, so it runs before Streamlit draws anything), else installed by ui/client.py:
//  - Vietnamese for the strings Streamlit and plotly write themselves (buttons, tooltips, placeholders);
//  - a chart as a PNG with its title, a source line and no clipped label (window.papiChartImage);
//  - printing: "In hoặc lưu PDF", charts scaled to the paper when printing from a normal page;
//  - on a phone: the sidebar closes after a choice; a table wider than the screen says it scrolls.
(() => {
  if (window.papiClient) return;
  window.papiClient = true;
  const WORDS = __WORDS__;
  const PATTERNS = __PATTERNS__.map(([re, to]) => [new RegExp(re), to]);
  const ATTRIBUTES = ["title", "aria-label", "placeholder", "data-title", "alt"];
  const SKIP = "script, style, noscript, [data-testid='stIconMaterial'], .js-plotly-plot .main-svg";
  const FONT = "Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";
  const PHONE = "(max-width: 768px)"; // where Streamlit lays its sidebar over the page
  const seenFilters = new WeakSet(); // "Bộ lọc" blocks already closed once on a phone

  function vietnamese(text) {
    const core = text.trim();
    if (!core || !/[A-Za-z]/.test(core)) return null;
    if (WORDS[core]) return text.replace(core, WORDS[core]);
    for (const [re, to] of PATTERNS) if (re.test(core)) return text.replace(core, core.replace(re, to));
    return null;
  }
  function fixText(node) {
    const parent = node.parentElement;
    if (!parent || parent.closest(SKIP)) return;
    const done = vietnamese(node.nodeValue);
    if (done !== null && done !== node.nodeValue) node.nodeValue = done;
  }
  function fixAttributes(element) {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute && element.getAttribute(name);
      if (!value) continue;
      const done = vietnamese(value);
      if (done !== null && done !== value) element.setAttribute(name, done);
    }
  }
  function walk(root) {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixAttributes(root);
    for (const element of root.querySelectorAll("*")) fixAttributes(element);
    const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) fixText(texts.currentNode);
    if (root.matches(".papi-close-sidebar") || root.querySelector(".papi-close-sidebar")) closeSidebar();
    if (root.matches(".papi-close-filters") || root.querySelector(".papi-close-filters")) closeFilters(true);
    if (root.matches(SCROLLERS) || root.querySelector(SCROLLERS)) cueTables();
  }
  // Watching the whole document from the <head> on: no English is ever painted, whatever Streamlit draws
  // first ("Skip to main content" comes before the app's first run).
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "childList") change.addedNodes.forEach(walk);
      else if (change.type === "characterData") fixText(change.target);
      else fixAttributes(change.target);
    }
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES,
  });

  // --- the phone -----------------------------------------------------------------------------------
  function closeSidebar() {
    if (!window.matchMedia(PHONE).matches) return;
    const button = document.querySelector("[data-testid='stSidebarCollapseButton'] button");
    const open = document.querySelector("[data-testid='stSidebar'][data-collapsed='false']");
    if (button && open) button.click();
  }
  // A page's "Bộ lọc" block (an expander keyed *_filters): on a phone, closed when it first appears and after a
  // choice, so the list comes first; its title says what is chosen.
  function closeFilters(afterChoice) {
    if (!window.matchMedia(PHONE).matches) return;
    for (const block of document.querySelectorAll("[class*='st-key-'][class*='_filters'] details")) {
      if (!afterChoice && seenFilters.has(block)) continue;
      seenFilters.add(block);
      if (block.open) block.querySelector("summary")?.click();
    }
  }
  setInterval(() => closeFilters(false), 300); // a block drawn since: closed once, then as the user leaves it
  // A table wider than its box says so (a phone shows no scroll bar). Checked when a table is drawn (before
  // anything else runs: the cue comes with the table), in the frame after it or its content changes size, and
  // every 700 ms for anything those miss. A timer alone cued a table one beat after it was drawn: on a busy
  // machine, whose timers wait behind drawing, 1.4–2.8 s later.
  const TABLES = "[data-testid='stDataFrame'], div.papi-scroll"; // what carries the cue
  const SCROLLERS = ".dvn-scroller, div.papi-scroll"; // what scrolls: a data grid's area (drawn after its box)
  // Scrollers already watched for their size. Neither this nor the ResizeObserver keeps a table taken off the page
  // (Chromium holds what it observes weakly): test_scroll_cue proves the table is let go.
  const sized = new WeakSet();
  let cuePending = false;
  const resized = new ResizeObserver(() => {
    if (cuePending) return;
    cuePending = true;
    requestAnimationFrame(() => { cuePending = false; cueTables(); });
  });
  function cueTables() {
    for (const box of document.querySelectorAll(TABLES)) {
      const scroller = box.matches("div.papi-scroll") ? box : box.querySelector(".dvn-scroller");
      const more = !!scroller && scroller.scrollWidth > scroller.clientWidth + 2;
      box.classList.toggle("papi-more", more); // no change, no mutation: a forced toggle of what is there
      if (!scroller || sized.has(scroller)) continue;
      sized.add(scroller);
      for (const part of [scroller, ...scroller.children]) resized.observe(part);
    }
  }
  setInterval(cueTables, 700);

  // --- printing -----------------------------------------------------------------------------------
  // A4 portrait less the 14 mm margins of style.css's @page: 182 mm in CSS pixels, the width of the printed page.
  const PAGE_WIDTH = (182 * 96) / 25.4;
  // Each chart's element keeps the width it has on screen, in its own pixels, and is scaled to the paper: no
  // part of it sees a new width, so neither plotly nor Streamlit draws it again while the browser prints (a chart
  // being redrawn prints blank). A chart marked --papi-paper-scale (style.css) takes that share of the width, and
  // one marked --papi-paper-height at most that height (whichever is smaller: drawn at the print view's narrow
  // width, a chart is taller for its width than on a wide screen).
  const paperBox = (chart) => chart.closest("[data-testid='stElementContainer']");
  window.addEventListener("beforeprint", () => {
    for (const chart of document.querySelectorAll(".stPlotlyChart")) {
      const box = paperBox(chart);
      const { width } = (box || chart).getBoundingClientRect();
      if (!box || !width) continue;
      const style = getComputedStyle(chart);
      const scale = parseFloat(style.getPropertyValue("--papi-paper-scale")) || 1;
      const tallest = parseFloat(style.getPropertyValue("--papi-paper-height")) || Infinity; // CSS pixels
      box.style.width = `${width}px`;
      box.style.zoom = String(Math.min((PAGE_WIDTH * scale) / width, tallest / box.getBoundingClientRect().height));
    }
  });
  window.addEventListener("afterprint", () => {
    for (const chart of document.querySelectorAll(".stPlotlyChart")) {
      const box = paperBox(chart);
      if (box) box.style.width = box.style.zoom = "";
    }
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest(".papi-print-now")) window.print();
  });

  // --- a chart as a picture -----------------------------------------------------------------------
  function withFont(value) { // one system font, measured and drawn alike: no label cut in the picture
    if (Array.isArray(value)) return value.map(withFont);
    if (value && typeof value === "object") {
      const out = {};
      for (const [k, v] of Object.entries(value)) out[k] = k === "family" ? FONT : withFont(v);
      return out;
    }
    return value;
  }
  async function chartImage(key, source, format = "png") {
    const chart = document.querySelector(`.st-key-${CSS.escape(key)} .js-plotly-plot`);
    const plotly = window.Plotly;
    if (!chart || !plotly || !chart._fullLayout) throw new Error("Biểu đồ chưa vẽ xong, thử lại sau giây lát.");
    const width = Math.max(chart._fullLayout.width, 800), height = chart._fullLayout.height;
    const layout = withFont(JSON.parse(JSON.stringify(chart.layout)));
    layout.font = Object.assign({}, layout.font, { family: FONT });
    const figure = { data: chart.data, layout, config: { locale: "vi" } };
    const svg = await plotly.toImage(figure, { format: "svg", width, height });
    if (format === "svg") return { svg, width, height };
    const picture = new Image();
    picture.src = await plotly.toImage(figure, { format: "png", width, height, scale: 2 });
    await picture.decode();
    const canvas = document.createElement("canvas");
    const foot = source ? 56 : 0;
    canvas.width = picture.width;
    canvas.height = picture.height + foot;
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(picture, 0, 0);
    if (source) {
      context.fillStyle = "#444444";
      context.font = `24px ${FONT}`;
      context.fillText(source, 20, picture.height + 36, canvas.width - 40);
    }
    return { png: canvas.toDataURL("image/png"), width: canvas.width, height: canvas.height };
  }
  window.papiChartImage = chartImage;
  window.papiDownloadChart = async (key, stem, source) => {
    const { png } = await chartImage(key, source);
    const link = document.createElement("a");
    link.href = png;
    link.download = `${stem}.png`;
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  if (document.body) walk(document.body); // installed into a drawn page (ui/client.py): what is there already
})();
