"""cli.output: what every command shares — who ran it (the OS account, a --user name beside it) and strict JSON
(null, never NaN; arrays as lists; times as ISO text; Vietnamese as written), the public contract of --json."""

from __future__ import annotations

import argparse
import json
import os
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from papi_analysis.cli import output
from papi_analysis.cli.output import jsonable, os_user, print_json, recorded_user
from papi_analysis.results.province_view import build_summary


@pytest.fixture
def as_lan(monkeypatch):
    monkeypatch.setattr(output.getpass, "getuser", lambda: "lan")


# --- who ran it -----------------------------------------------------------------------------------------
def test_the_os_account_runs_the_command(as_lan):
    assert os_user() == "lan"


@pytest.mark.parametrize("error", [OSError, KeyError])
def test_a_bare_container_without_an_account_name_is_its_uid(monkeypatch, error):
    def no_name():
        raise error("no user")

    monkeypatch.setattr(output.getpass, "getuser", no_name)
    assert os_user() == f"uid {os.getuid()}"


def test_the_history_records_the_os_account_and_a_given_name_beside_it(as_lan):
    assert recorded_user(argparse.Namespace(user=None)) == "dòng lệnh:lan"
    assert recorded_user(argparse.Namespace(user="   ")) == "dòng lệnh:lan"
    assert recorded_user(argparse.Namespace(user=" Nguyễn  Thị\nHoa\t")) == "Nguyễn Thị Hoa (dòng lệnh:lan)"


def test_a_given_name_is_one_line_of_at_most_100_characters(as_lan):
    long = "Trần " * 40
    recorded = recorded_user(argparse.Namespace(user=long))
    assert recorded == " ".join(long.split())[:100] + " (dòng lệnh:lan)"
    assert "\n" not in recorded and len(recorded) == 100 + len(" (dòng lệnh:lan)")


# --- strict JSON ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("missing", [None, float("nan"), np.float64("nan"), np.float32("nan"), pd.NA, pd.NaT])
def test_every_kind_of_missing_value_is_null(missing):
    assert jsonable(missing) is None


def test_numpy_scalars_become_python_numbers():
    converted = jsonable({"rank": np.int64(24), "n": np.int32(61), "score": np.float64(42.85590744), "ok": np.bool_(1)})
    assert converted == {"rank": 24, "n": 61, "score": 42.85590744, "ok": True}
    assert [type(v) for v in converted.values()] == [int, int, float, bool]


def test_containers_become_lists_and_keys_text():
    value = {2022: (np.int64(24), 61), "years": np.array([2021, 2022]), "empty": []}
    assert jsonable(value) == {"2022": [24, 61], "years": [2021, 2022], "empty": []}


def test_times_become_iso_text():
    assert jsonable(pd.Timestamp("2023-10-02 10:00")) == "2023-10-02T10:00:00"
    assert jsonable(datetime(2023, 10, 2, 10, 0)) == "2023-10-02T10:00:00"
    assert jsonable(date(2023, 6, 14)) == "2023-06-14"


def test_numpy_times_become_iso_text_too():
    assert jsonable(np.datetime64("2023-10-02T03:00:00.000000", "us")) == "2023-10-02T03:00:00"
    assert jsonable(np.datetime64("2023-10-02T03:00:00.000000000", "ns")) == "2023-10-02T03:00:00"


def test_text_and_plain_values_pass_unchanged():
    value = {"province": "Sóc Trăng", "group": "Trung bình cao", "rank": "24/61", "flag": False, "n": 0}
    assert jsonable(value) == value


def test_the_summary_of_soc_trang_2022_prints_as_strict_json(store, ref, capsys):
    print_json(build_summary(store, ref, "Sóc Trăng", 2022).to_json())
    text = capsys.readouterr().out
    assert "NaN" not in text and "Sóc Trăng" in text  # Vietnamese as written, not \\u escapes
    printed = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in --json"))
    assert (printed["total"], printed["national_rank"], printed["national_n"]) == (pytest.approx(42.85590744), 24, 61)
    assert (printed["regional_rank"], printed["regional_n"], printed["group"]) == (3, 13, "Trung bình cao")
    assert printed["total_display"] == "42,86" and printed["national_rank_change"] == 27
    assert printed["total_ci_low"] is None and printed["total_weighted"] is None  # the seed stores no bounds: null
    d1 = printed["dimensions"][0]
    assert (d1["code"], d1["group"], d1["ci_low"], d1["subdimensions"]) == ("D1", "Thấp nhất", None, [])
    assert text.startswith("{\n  ")  # indented for a reader


def test_a_value_strict_json_cannot_hold_is_refused_not_printed(capsys):
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        print_json({"gap": float("inf")})
    assert capsys.readouterr().out == ""
