"""What is the same for every viewer is computed once: a view's figures and table HTML are built once per
data write stamp and shared by every session (a write rebuilds them), figures are not copied on each run,
and Streamlit does not run a full garbage collection after every run."""

from __future__ import annotations

import tomllib

import plotly.graph_objects as go
from apptest import open_page
from helpers import csv_bytes, synthetic_year

from papi_analysis.paths import REPO_ROOT
from papi_analysis.present import charts
from papi_analysis.reading.ingest import parse_scores
from ui.render import SharedFigure


def test_no_full_garbage_collection_after_every_run():
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_a_shared_figure_is_serialised_without_a_copy():
    figure = SharedFigure(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
    assert figure.to_dict() is figure.to_dict() and figure.to_dict()["data"][0]["type"] == "bar"


def test_a_views_figure_is_built_once_for_every_session_until_a_write(fresh_db_env, monkeypatch):
    built, original = [], charts.radar

    def radar(*args):
        built.append(args[1])
        return original(*args)

    monkeypatch.setattr(charts, "radar", radar)
    for _ in range(3):  # three viewers of one view
        at = open_page(params={"year": 2022, "province": "soc-trang"})
        assert not at.exception and [c.key for c in at.get("plotly_chart")].count("radar") == 1  # (and the waterfall)
    assert built == ["Sóc Trăng"]
    ref = fresh_db_env.reference()
    parsed = parse_scores(csv_bytes(synthetic_year(["Sóc Trăng"], 2025)), "papi_2025.csv", ref)
    fresh_db_env.commit_scores(parsed, replace=False, user="lan")
    open_page(params={"year": 2022, "province": "soc-trang"})
    assert built == ["Sóc Trăng", "Sóc Trăng"]  # the write stamp changed: built again from the new data
