"""summary's targets (issue 22, item 3): the new --json keys beside the old ones, --target-rank N [--regional],
Vietnamese in the plain output; plan-draft's arguments."""

from __future__ import annotations

import json

import docx
import pytest

from papi_analysis.cli.main import main

OLD_TOP_KEYS = {
    "province", "unit_id", "unit_type", "year", "region", "comparison_phrase", "comparison_members", "status",
    "message", "dimensions", "missing_dimensions", "weak_dimensions", "dimension_count", "scale", "total",
    "total_display", "national_rank", "national_n", "regional_rank", "regional_n", "group", "previous_year",
    "national_rank_change", "regional_rank_change", "gap_to_regional_best", "gap_to_regional_median",
    "gap_to_national_best", "gap_to_national_median", "total_change", "total_change_comparable", "ahead_in_region",
    "scale_note", "predecessors", "lineage_note", "total_ci_low", "total_ci_high", "total_weighted",
}  # fmt: skip
OLD_DIMENSION_KEYS = {
    "code", "name_vi", "score", "score_display", "national_rank", "national_n", "regional_rank", "regional_n",
    "group", "previous_year", "change", "comparable", "national_rank_change", "regional_rank_change",
    "gap_to_regional_best", "gap_to_regional_median", "gap_to_national_best", "gap_to_national_median", "ci_low",
    "ci_high", "subdimensions",
}  # fmt: skip
TARGET_KEYS = {"to_next_group", "margin_to_lower_group", "ranks_per_tenth"}


def summary_json(capsys, *extra: str, year: str = "2022") -> dict:
    assert main(["summary", "--province", "Sóc Trăng", "--year", year, "--json", *extra]) == 0
    out = capsys.readouterr().out
    return json.loads(out, parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}"))


def test_summary_json_keeps_its_keys_and_gains_the_targets(capsys):
    s = summary_json(capsys)
    assert OLD_TOP_KEYS | TARGET_KEYS | {"targets_note"} == set(s)
    for d in s["dimensions"]:
        assert OLD_DIMENSION_KEYS | TARGET_KEYS == set(d)
    d = {x["code"]: x for x in s["dimensions"]}
    assert d["D1"]["to_next_group"]["group"] == "Trung bình thấp" and d["D1"]["to_next_group"]["points"] == 0.01
    assert d["D1"]["margin_to_lower_group"] is None  # Thấp nhất: nothing below
    assert d["D4"]["to_next_group"] is None and d["D4"]["margin_to_lower_group"] == 0.45  # Cao nhất
    assert (d["D3"]["to_next_group"]["points"], d["D3"]["margin_to_lower_group"], d["D3"]["ranks_per_tenth"]) == (
        0.04,
        0.05,
        10,
    )
    assert s["to_next_group"] == {
        "group": "Cao nhất",
        "points": 0.59,
        "score": 43.436882,
        "within_margin_of_error": None,
    }
    assert "giữ nguyên điểm năm 2022" in s["targets_note"] and "to_rank" not in s


@pytest.mark.slow
def test_a_target_rank_adds_to_rank_per_measure(capsys):
    s = summary_json(capsys, "--target-rank", "20")
    assert s["to_rank"]["rank"] == 20 and s["to_rank"]["points"] == 0.25 and s["to_rank"]["scope"] == "national"
    d = {x["code"]: x["to_rank"] for x in s["dimensions"]}
    assert d["D4"]["points"] == 0 and d["D4"]["rank_now"] == 5  # already 5th
    assert d["D1"]["points"] == 0.89 and d["D1"]["score"] == 5.38
    regional = summary_json(capsys, "--target-rank", "1", "--regional")
    assert regional["to_rank"] == {
        "rank": 1,
        "points": regional["to_rank"]["points"],
        "score": regional["to_rank"]["score"],
        "scope": "regional",
        "ranked": 13,
        "rank_now": 3,
        "within_margin_of_error": None,
    }
    assert regional["to_rank"]["points"] > 0


def test_a_measure_without_a_score_has_null_targets(capsys):
    assert main(["summary", "--province", "Bắc Ninh", "--year", "2022", "--json", "--target-rank", "10"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert (s["to_next_group"], s["margin_to_lower_group"], s["ranks_per_tenth"], s["to_rank"]) == (None,) * 4
    assert {d["code"] for d in s["dimensions"] if d["to_rank"]} == {"D1", "D5", "D6", "D7"}


def test_the_plain_output_says_the_targets_in_vietnamese(capsys):
    assert main(["summary", "--province", "Sóc Trăng", "--year", "2022", "--target-rank", "20"]) == 0
    out = capsys.readouterr().out
    assert "Giả định các tỉnh, thành phố khác giữ nguyên điểm năm 2022" in out
    assert "D1 · Tham gia (4,49, nhóm Thấp nhất): cần thêm 0,01 điểm để vào nhóm Trung bình thấp (đạt 4,49 điểm)" in out
    assert "+0,10 điểm ≈ 13 bậc" in out  # D8
    assert "mục tiêu hạng 20 toàn quốc: cần thêm 0,25 điểm để đạt hạng 20/61 toàn quốc (43,11 điểm)" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["summary", "--province", "Sóc Trăng", "--year", "2022", "--regional"], "--regional đi cùng --target-rank"),
        (["summary", "--province", "Sóc Trăng", "--year", "2022", "--target-rank", "0"], "từ 1 trở lên"),
        (["summary", "--province", "Sóc Trăng", "--year", "2022", "--target-rank", "64"], "cả nước (63)"),
        (
            ["summary", "--province", "Sóc Trăng", "--year", "2022", "--target-rank", "14", "--regional"],
            "Đồng bằng sông Cửu Long (13)",
        ),
        (
            ["plan-draft", "--province", "Sóc Trăng", "--year", "2022", "--target-group", "D9=Cao nhất", "-o", "x"],
            "MÃ=NHÓM",
        ),
    ],
)
def test_goals_that_cannot_be_aimed_at_exit_2_saying_why(args, said, capsys, tmp_path):
    assert main(args) == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_plan_draft_writes_the_word_draft_and_its_tasks_file(tmp_path, capsys):
    output = tmp_path / "du-thao.docx"
    assert (
        main(["plan-draft", "--province", "soc trang", "--year", "2024", "--target-rank", "5", "-o", str(output)]) == 0
    )
    said = capsys.readouterr().out
    assert (
        "dự thảo kế hoạch năm 2025" in said and "UBND thành phố Cần Thơ" in said and "88 nhiệm vụ chuyển tiếp" in said
    )
    text = "\n".join(p.text for p in docx.Document(output).paragraphs)
    assert "Cải thiện, nâng cao Chỉ số Hiệu quả Quản trị và Hành chính công thành phố Cần Thơ năm 2025" in text
    tasks = (tmp_path / "du-thao-nhiem-vu.csv").read_text(encoding="utf-8-sig")
    assert tasks.startswith("id,plan_id,section,title") and tasks.count("DU-THAO/KH-UBND-2025") == 88
    assert main(["plan-draft", "--province", "Hà Nội", "--year", "2024", "-o", str(tmp_path / "hn.docx")]) == 0
    assert "không ghi tệp nhiệm vụ" in capsys.readouterr().out and not (tmp_path / "hn-nhiem-vu.csv").exists()
