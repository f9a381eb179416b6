"""python -m papi_analysis summary: the figures of the 2023 plan, any spelling of the name."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from papi_analysis.cli.main import main


def run(*args: str, env_db=None) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"PAPI_DB": str(env_db)} if env_db else {})}
    return subprocess.run(
        [sys.executable, "-m", "papi_analysis", *args], capture_output=True, text=True, env=env, check=False
    )


@pytest.mark.slow
def test_summary_json_in_a_real_process(built_db):
    result = run("summary", "--province", "Sóc Trăng", "--year", "2022", "--json", env_db=built_db)
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert (s["province"], s["year"], s["region"]) == ("Sóc Trăng", 2022, "Đồng bằng sông Cửu Long")
    assert s["total_display"] == "42,86" and s["total"] == pytest.approx(42.8559, abs=1e-4)
    assert (s["national_rank"], s["national_n"], s["national_rank_change"]) == (24, 61, 27)
    assert (s["regional_rank"], s["regional_n"], s["regional_rank_change"]) == (3, 13, 6)
    assert s["group"] == "Trung bình cao"
    assert s["total_change"] == pytest.approx(2.8198, abs=1e-3)
    groups = {d["code"]: d["group"] for d in s["dimensions"]}
    assert groups == {
        "D1": "Thấp nhất",
        "D2": "Trung bình thấp",
        "D3": "Trung bình cao",
        "D4": "Cao nhất",
        "D5": "Cao nhất",
        "D6": "Trung bình thấp",
        "D7": "Cao nhất",
        "D8": "Trung bình thấp",
    }
    keys = {
        "code",
        "name_vi",
        "score",
        "national_rank",
        "national_n",
        "regional_rank",
        "regional_n",
        "group",
        "change",
        "gap_to_regional_best",
        "gap_to_national_best",
    }
    assert all(keys <= d.keys() for d in s["dimensions"])
    assert set(s["weak_dimensions"]) == {"D1", "D2", "D6", "D8"}


@pytest.mark.parametrize("spelling", ["soc trang", "SÓC TRĂNG", "  Soc   Trang ", "Tỉnh Sóc Trăng", "soc-trang"])
def test_names_with_or_without_diacritics_in_any_case(spelling, capsys):
    assert main(["summary", "--province", spelling, "--year", "2022", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["province"] == "Sóc Trăng"


def test_unknown_name_exits_2_suggesting_the_closest(capsys):
    assert main(["summary", "--province", "Soc Trag", "--year", "2022"]) == 2
    assert "Sóc Trăng" in capsys.readouterr().err


def test_text_output_is_vietnamese(capsys):
    assert main(["summary", "--province", "soc trang", "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert "42,86" in out and "24/61 (tăng 27 bậc so với 2021)" in out and "3/13 (tăng 6 bậc so với 2021)" in out
    assert "sau Bạc Liêu, Vĩnh Long" in out


@pytest.mark.slow
def test_other_region_and_other_years(capsys):
    assert main(["summary", "--province", "Sóc Trăng", "--year", "2023", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["total_display"] == "45,62" and s["national_rank"] == 4 and s["regional_rank"] == 1
    assert main(["summary", "--province", "Thừa Thiên - Huế", "--year", "2023", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["province"] == "Thừa Thiên Huế" and s["total_display"] == "46,04" and s["national_rank"] == 1
    assert main(["summary", "--province", "Sóc Trăng", "--year", "2022", "--region", "Đông Nam Bộ", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["region"] == "Đông Nam Bộ" and s["regional_n"] == 7


@pytest.mark.slow
def test_missing_province_year_says_so(capsys):
    assert main(["summary", "--province", "Bắc Giang", "--year", "2014", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["status"] == "no_data" and "không công bố" in s["message"]
    assert main(["summary", "--province", "Bắc Ninh", "--year", "2022", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["status"] == "no_total" and s["national_rank"] is None and len(s["dimensions"]) == 4


def test_2018_aggregate_change_is_flagged(capsys):
    assert main(["summary", "--province", "Sóc Trăng", "--year", "2018", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["total_change"] is None and s["total_change_comparable"] is False
    assert "8–80" in s["scale_note"]


def test_year_without_data(capsys):
    assert main(["summary", "--province", "Sóc Trăng", "--year", "2010"]) == 1
    assert "Chưa có số liệu PAPI năm 2010" in capsys.readouterr().err


@pytest.mark.slow
def test_a_reader_that_stops_early_gets_no_traceback(built_db):
    """`python -m papi_analysis summary … | head -1`: the reader may close the pipe before the last line."""
    command = [sys.executable, "-m", "papi_analysis", "summary", "--province", "Sóc Trăng", "--year", "2022"]
    env = {**os.environ, "PAPI_DB": str(built_db)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    process.stdout.close()  # closed before the command writes anything
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1 and b"Traceback" not in stderr, stderr.decode()
