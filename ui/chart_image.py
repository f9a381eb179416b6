"""A visible "Tải ảnh (PNG)" under a chart: the chart drawn under a key, as the user sees it, with its title,
a source line under it and one system font (so no label is cut), through plotly's own image export in the
browser (ui/assets/client.js: papiDownloadChart) — no renderer on the server. The button lives in a small
frame of its own, as the map's first did."""

from __future__ import annotations

import html
import json

import streamlit as st

from papi_analysis.files import export
from papi_analysis.present.charts import SOURCE

LABEL = "Tải ảnh (PNG)"


def file_stem(parts: list[object]) -> str:
    """The PNG's name, like every other download's ('ban-do_2024_tong-hop')."""
    return export.file_name(parts, "png").removesuffix(".png")


def button(key: str, name_parts: list[object], source: str | None = SOURCE) -> None:
    """The button for the chart drawn with st.plotly_chart(key=key); source None: the figure says it already."""
    call = json.dumps([key, file_stem(name_parts), source or ""]).replace("</", "<\\/")
    # In a container named after the chart (.st-key-png_<key>): the button is found as the chart's own.
    st.container(key=f"png_{key}").iframe(
        f"""<button id="png" disabled style="font:14px sans-serif;padding:6px 14px;border:1px solid #0072B2;
      border-radius:8px;background:#fff;color:#0072B2;cursor:pointer">{html.escape(LABEL)}</button>
      <span id="msg" style="font:14px sans-serif;color:#333;margin-left:8px" role="status"></span>
      <script>
      const png = document.getElementById("png");
      png.addEventListener("click", async () => {{
        const msg = document.getElementById("msg");
        msg.textContent = "Đang tạo ảnh…";
        try {{ await window.parent.papiDownloadChart(...{call}); msg.textContent = "Đã tải ảnh."; }}
        catch (error) {{ msg.textContent = error.message; }}
      }});
      // Enabled once a click can work (the page's script loaded): never a click that does nothing on a busy machine.
      const ready = () => window.parent.papiDownloadChart ? (png.disabled = false) : setTimeout(ready, 100);
      ready();
      </script>""",
        height=48,
        alt=f"Nút {LABEL}",
    )
