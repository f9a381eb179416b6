"""A visible "Sao chép đoạn văn" button: the text to the clipboard, in a small frame of its own (as the chart's
"Tải ảnh (PNG)" in chart_image.py)."""

from __future__ import annotations

import html
import json

import streamlit as st


def button(text: str, label: str = "Sao chép đoạn văn") -> None:
    """A visible copy-to-clipboard button (the text is JSON-escaped into the script)."""
    payload = json.dumps(text).replace("</", "<\\/")
    st.iframe(
        f"""<button id="copy" style="font:14px sans-serif;padding:6px 14px;border:1px solid #0072B2;
      border-radius:8px;background:#fff;color:#0072B2;cursor:pointer">{html.escape(label)}</button>
      <span id="done" style="font:14px sans-serif;color:#333;margin-left:8px" role="status"></span>
      <script>
      const text = {payload};
      document.getElementById("copy").addEventListener("click", async () => {{
        try {{ await navigator.clipboard.writeText(text); }}
        catch (e) {{
          const area = document.createElement("textarea"); area.value = text; document.body.appendChild(area);
          area.select(); document.execCommand("copy"); area.remove();
        }}
        document.getElementById("done").textContent = "Đã sao chép";
      }});
      </script>""",
        height=48,
        alt=f"Nút {label}",
    )
