"""A ProvinceSummary in words: section I of the plan (the paragraph staff paste into next year's plan),
the notes that go under the dimension table, and the command line's plain-text report."""

from __future__ import annotations

import math

from papi_analysis import fmt
from papi_analysis.domain import (
    EIGHT_DIMENSION_FROM,
    GROUPS,
    NEW_UNITS,
    OLD_UNITS,
    REBUILT_2016,
    REORGANISATION_DATE,
    TOTAL,
    UNIT_SET_NOUNS,
    crosses_method_change,
    has_eight_dimensions,
)
from papi_analysis.results.summary import MeasureResult, Predecessor, ProvinceSummary, Status

# Said of every change that compares a year before 2018 (6 dimensions, 6–60) with one from 2018 (8, 8–80).
METHOD_CHANGE = f"qua mốc {EIGHT_DIMENSION_FROM}: 6 → 8 chỉ số nội dung, chỉ để tham khảo"
METHOD_CHANGE_NOTE = (
    f"* So sánh qua mốc {EIGHT_DIMENSION_FROM}: PAPI đổi phương pháp (6 → 8 chỉ số nội dung, thang tổng hợp 6–60 → "
    "8–80); thay đổi điểm và thứ hạng so với các năm trước đó chỉ để tham khảo."
)


def _join(items: list[str]) -> str:
    """'A, B và C'; with '; ' between items when a name itself has a comma."""
    if len(items) <= 1:
        return "".join(items)
    separator = "; " if any("," in item for item in items) else ", "
    return separator.join(items[:-1]) + " và " + items[-1]


def _subject(summary: ProvinceSummary) -> str:
    return f"{summary.unit_type} {summary.province}"


def since(previous_year: int | None, year: int) -> str:
    """What a change compares with: 'so với năm 2021'; across 2018 it says so:
    'so với năm 2017 (qua mốc 2018: 6 → 8 chỉ số nội dung, chỉ để tham khảo)'. '' without a previous year."""
    if previous_year is None:
        return ""
    flag = f" ({METHOD_CHANGE})" if crosses_method_change(previous_year, year) else ""
    return f"so với năm {previous_year}{flag}"


def since_short(previous_year: int | None, year: int) -> str | None:
    """The same under a figure: 'so với 2021', 'so với 2017 *' (the * explained beside it)."""
    if previous_year is None:
        return None
    return f"so với {previous_year}" + (" *" if crosses_method_change(previous_year, year) else "")


def rank_change_since(places: int | None, previous_year: int | None, year: int, flag: bool = True) -> str:
    """'tăng 27 bậc so với năm 2021'; Thừa Thiên Huế 2018: 'giảm 6 bậc so với năm 2017 (qua mốc 2018: …)'
    (flag=False: the year only, when the sentence already said why)."""
    if places is None or previous_year is None:
        return fmt.MISSING
    return f"{fmt.rank_change(places)} {since(previous_year, year) if flag else f'so với năm {previous_year}'}"


def median_gap(gap_to_median: float | None, where: str = "cả nước") -> str:
    """'cao hơn trung vị cả nước 0,62 điểm' (gap = median − score), 'bằng trung vị cả nước'."""
    if gap_to_median is None:
        return f"không so với trung vị {where}"
    if fmt.rounds_to_zero(gap_to_median):
        return f"bằng trung vị {where}"
    return f"{'thấp' if gap_to_median > 0 else 'cao'} hơn trung vị {where} {fmt.number(abs(gap_to_median))} điểm"


def best_gap(gap_to_best: float | None, where: str = "cả nước") -> str:
    """'thấp hơn điểm cao nhất cả nước 5,02 điểm', or 'cao nhất cả nước'."""
    if gap_to_best is None:
        return ""
    if fmt.rounds_to_zero(gap_to_best):
        return f"cao nhất {where}"
    return f"thấp hơn điểm cao nhất {where} {fmt.number(gap_to_best)} điểm"


def unscored_notes(summary: ProvinceSummary, measures: tuple[str, ...] | None = None) -> list[str]:
    """Why a rank reads 1/12 in a group of 13: 'Trong vùng Đồng bằng sông Cửu Long: 12 tỉnh, thành phố có điểm;
    PAPI 2024 không công bố điểm của Tiền Giang.' One note per scope and set of units left out (measures: only
    these; None: all)."""
    notes = []
    scopes = (
        ("Cả nước", summary.units_in_set, summary.national_unscored),
        (f"Trong {summary.comparison.label}", len(summary.comparison.unit_ids), summary.comparison_unscored),
    )
    every = 1 + summary.dimension_count
    for where, members, unscored in scopes:
        by_names: dict[tuple[str, ...], list[str]] = {}
        for measure, names in unscored:
            if measures is None or measure in measures:
                by_names.setdefault(names, []).append(measure)
        for names, codes in by_names.items():
            what = "điểm" if len(codes) == every else "điểm " + _join(["tổng hợp" if c == TOTAL else c for c in codes])
            notes.append(
                f"{where}: {members - len(names)} tỉnh, thành phố có {what}; "
                f"PAPI {summary.year} không công bố {what} của {_join(list(names))}."
            )
    return notes


def rounding_note(summary: ProvinceSummary, plan: str | None = None) -> str | None:
    """Beside (not inside) the plan's paragraph: our figures are rounded; a text that cut the digits off writes
    0,01 less ('42,85' for 42,8559; '+2,81' for +2,8198) — the same result, written another way. `plan`: the
    number of a plan that quoted this year's results (Kế hoạch 120/KH-UBND quoted Sóc Trăng 2022 so)."""
    total = summary.total
    if total is None or total.score is None:
        return None
    pairs = [("điểm tổng hợp", total.score, False)]
    if total.change is not None and summary.total_change_comparable:
        pairs.append(("thay đổi", total.change, True))
    shown = []
    for label, value, sign in pairs:
        cut = math.trunc(value * 100) / 100
        if fmt.number(cut) != fmt.number(value):
            write = fmt.signed if sign else fmt.number
            shown.append((label, write(value, 4), write(value), write(cut)))
    if not shown:
        return None
    rounded = "; ".join(f"{label} {exact} → {ours}" for label, exact, ours, _ in shown)
    cut_off = " và ".join(cut for *_, cut in shown)
    text = f"Kế hoạch {plan}" if plan else "một văn bản"
    return (
        f"Số trong đoạn văn được làm tròn đến 2 chữ số thập phân ({rounded}). Nếu {text} ghi {cut_off}, đó là số "
        "bị cắt bớt chữ số thay vì làm tròn: cùng một kết quả, chênh 0,01 do cách viết số."
    )


def summary_paragraph(summary: ProvinceSummary) -> str:
    """Section I of the plan, generated."""
    if not summary.status.has_scores:
        return str(summary.message)
    sentences = [summary.message] if summary.status is Status.NO_TOTAL else _total_sentences(summary)
    sentences += [change_note(summary), predecessors_sentence(summary)]
    sentences.append(_dimension_sentence(summary))
    return " ".join(s for s in sentences if s)


def change_note(summary: ProvinceSummary) -> str | None:
    """Why a new unit's first year has no change: said in the paragraph, on the overview and by the CLI."""
    if not summary.first_after_change:
        return None
    since, year = fmt.day(REORGANISATION_DATE), summary.year
    ranked = f"xếp hạng trong {UNIT_SET_NOUNS[NEW_UNITS]}"
    before = f"các năm trước xếp hạng trong {UNIT_SET_NOUNS[OLD_UNITS]}"
    if summary.changed:
        olds = _join([f"{p.unit_type} {p.province}" for p in summary.before_change])
        return (
            f"{_subject(summary)[0].upper()}{_subject(summary)[1:]} được hình thành từ ngày {since} trên cơ sở "
            f"hợp nhất {olds}; năm {year} là năm đầu tiên PAPI đánh giá {summary.province} mới, {ranked}, "
            f"nên không so sánh điểm số và thứ hạng với các năm trước ({before})."
        )
    return (
        f"Từ ngày {since} PAPI {ranked}; địa giới của {summary.province} không thay đổi, nhưng thứ hạng năm "
        f"{year} không so sánh với thứ hạng các năm trước ({before})."
    )


def _predecessor_result(p: Predecessor, with_year: bool) -> str:
    if p.total is None:
        return f"{p.label}: PAPI không công bố điểm tổng hợp"
    year = f" năm {p.year}" if with_year else ""
    rank = fmt.rank(p.national_rank, p.national_n)
    return f"{p.label}{year} đạt {p.total_display} điểm (xếp hạng {rank}, nhóm {p.performance_group})"


def predecessors_sentence(summary: ProvinceSummary) -> str | None:
    """'Năm 2024, Cần Thơ (cũ) đạt 40,44 điểm (xếp hạng 59/61, nhóm Thấp nhất); Hậu Giang …' — the old
    provinces' last results, in place of the change a new unit's first year cannot have."""
    if not summary.first_after_change:
        return None
    years = {p.year for p in summary.before_change if p.year is not None}
    same_year = len(years) == 1
    results = _join([_predecessor_result(p, not same_year) for p in summary.before_change])
    lead = f"Năm {years.pop()}, " if same_year else "Kết quả gần nhất trước khi sắp xếp: "
    return f"{lead}{results}."


def _total_sentences(summary: ProvinceSummary) -> list[str]:
    total, name = summary.total, summary.province
    first = (
        f"Năm {summary.year}, {_subject(summary)} đạt {total.score_display} điểm, thuộc nhóm {total.performance_group}."
    )
    rank = (
        f"tính từ điểm cao đến điểm thấp thì {name} xếp hạng {total.national_rank}/{total.national_n} "
        "tỉnh, thành phố trong cả nước"
    )
    # The sentence opens with the year compared with when the score change is comparable; otherwise every
    # rank change names it (and says when it crosses 2018: Thừa Thiên Huế 2018, Quảng Ninh 2019 vs 2017).
    opens_with_year = bool(total.previous_year) and summary.total_change_comparable
    flagged: list[bool] = []  # the 2018 flag once per sentence

    def change(places: int) -> str:
        if opens_with_year:
            return fmt.rank_change(places)
        flagged.append(True)
        return rank_change_since(places, total.previous_year, summary.year, flag=len(flagged) == 1)

    if total.national_rank_change is not None:
        rank += f", {change(total.national_rank_change)}"
    in_group = f"xếp thứ {total.comparison_rank}/{total.comparison_n} {summary.comparison.phrase}"
    ahead, aside = list(summary.ahead_in_comparison), []
    if total.comparison_rank == 1:
        aside.append("dẫn đầu")
    elif ahead and len(ahead) <= 4:
        in_group += f" sau {', '.join(ahead)}"
    if left_out := dict(summary.comparison_unscored).get(TOTAL):
        aside.append(
            f"{total.comparison_n} tỉnh có điểm, PAPI {summary.year} không công bố điểm của {_join(list(left_out))}"
        )
    if aside:
        in_group += f" ({'; '.join(aside)})"
    if total.comparison_rank_change is not None:
        in_group += f", {change(total.comparison_rank_change)}"
    if opens_with_year:
        opening = f"So với năm {total.previous_year} {fmt.score_change(total.change)}, "
        return [first, f"{opening}{rank} và {in_group}."]
    return [first, f"{rank[0].upper()}{rank[1:]} và {in_group}.", summary.scale_note or ""]


def _dimension_sentence(summary: ProvinceSummary) -> str:
    by_group: dict[str, list] = {g: [] for g in GROUPS}
    for d in summary.dimensions:
        by_group[d.performance_group].append(d)
    parts = []
    for group in GROUPS:
        members = sorted(by_group[group], key=lambda d: -d.score)
        if not members:
            continue
        names = _join([d.name_vi for d in members])
        verb = "rơi vào" if group == GROUPS[-1] else "được xếp trong"
        parts.append(f"{fmt.two_digits(len(members))} chỉ số nội dung {verb} nhóm {group} ({names})")
    lead = f"Trong {fmt.two_digits(summary.dimension_count)} chỉ số nội dung, {_subject(summary)} có "
    missing = summary.missing_dimensions
    tail = f" PAPI {summary.year} không công bố {', '.join(missing)} của {summary.province}." if missing else ""
    return lead + "; ".join(parts) + "." + tail


def dimension_notes(summary: ProvinceSummary) -> list[str]:
    """The footnotes of the dimension table: changes across 2018, unpublished dimensions, D7/D8."""
    notes = []
    if any(not d.comparable for d in summary.dimensions):
        notes.append(METHOD_CHANGE_NOTE)
    if summary.missing_dimensions:
        notes.append(
            f"PAPI {summary.year} không công bố {', '.join(summary.missing_dimensions)} của {summary.province}."
        )
    if not has_eight_dimensions(summary.year):
        notes.append(
            "Trước năm 2018 PAPI có 6 chỉ số nội dung; D7 Quản trị môi trường và D8 Quản trị điện tử có từ 2018."
        )
    return notes


def change_caveat(measure: str, year: int, first_of_new_units: bool = False) -> str | None:
    """Under a table of changes: the aggregate's change is not computed across the scale change, and no
    change at all in the first year of the 34 units (first_of_new_units)."""
    if first_of_new_units:
        return (
            f"Năm {year} là năm đầu tiên PAPI xếp hạng trong {UNIT_SET_NOUNS[NEW_UNITS]} (từ "
            f"{fmt.day(REORGANISATION_DATE)}): không tính thay đổi điểm, thứ hạng so với các năm trước "
            f"({UNIT_SET_NOUNS[OLD_UNITS]})."
        )
    if measure == TOTAL and year == EIGHT_DIMENSION_FROM:
        return f"Năm {year}: không tính thay đổi điểm tổng hợp so với {year - 1} (khác thang điểm)."
    return None


def trend_caveat(measure: str) -> str | None:
    """Above a trend chart of a measure: where its series is not comparable over time."""
    if measure == TOTAL:
        return (
            f"Điểm tổng hợp đổi thang năm {EIGHT_DIMENSION_FROM} (6 → 8 chỉ số nội dung): đường được ngắt tại "
            "mốc này, không so sánh trực tiếp hai giai đoạn."
        )
    if measure in REBUILT_2016:
        return (
            f"{', '.join(REBUILT_2016)} được xây dựng lại năm 2016 và nhiều chỉ số thay đổi năm "
            f"{EIGHT_DIMENSION_FROM}: so sánh dài hạn chỉ để tham khảo."
        )
    return None


def summary_text(summary: ProvinceSummary) -> str:
    """Plain-text report for the command line."""
    lines = [summary.lineage_note] if summary.lineage_note else []
    lines.append(f"{summary.province} — PAPI {summary.year}")
    if not summary.status.has_scores:
        return "\n".join([*lines, str(summary.message)])
    lines += _total_lines(summary) if summary.total else [str(summary.message)]
    if summary.first_after_change:
        lines += ["", str(change_note(summary)), "Trước khi sắp xếp:"]
        lines += [f"  {_predecessor_result(p, True)}" for p in summary.before_change]
    lines += ["", _table_header()] + [_table_line(d) for d in summary.dimensions]
    if any(not d.comparable for d in (*summary.dimensions, *([summary.total] if summary.total else []))):
        lines.append(METHOD_CHANGE_NOTE)
    lines += unscored_notes(summary)
    weak = summary.weak_dimensions
    lines += ["", "Chỉ số yếu (nhóm Trung bình thấp, Thấp nhất): " + (", ".join(weak) if weak else "không có")]
    lines += ["", summary_paragraph(summary)]
    return "\n".join(lines)


def _total_lines(summary: ProvinceSummary) -> list[str]:
    total = summary.total
    national_change, group_change = (
        ("không so sánh", "không so sánh")
        if summary.first_after_change
        else (
            _cli_rank_change(total.national_rank_change, total, summary.year),
            _cli_rank_change(total.comparison_rank_change, total, summary.year),
        )
    )
    lines = [
        f"Điểm tổng hợp: {total.score_display} (thang {summary.scale}), nhóm {total.performance_group}",
        f"Xếp hạng toàn quốc: {fmt.rank(total.national_rank, total.national_n)} ({national_change})",
        f"Xếp hạng {summary.comparison.label}: {fmt.rank(total.comparison_rank, total.comparison_n)} ({group_change})",
    ]
    if not summary.total_change_comparable:
        lines.append(str(summary.scale_note))
    elif total.previous_year is not None:
        lines.append(f"So với năm {total.previous_year}: {fmt.score_change(total.change)}")
    return lines


def _cli_rank_change(places: int | None, total: MeasureResult, year: int) -> str:
    """'tăng 27 bậc so với 2021', 'giảm 6 bậc so với 2017 *' (the * explained under the table)."""
    if places is None or total.previous_year is None:
        return fmt.MISSING
    return f"{fmt.rank_change(places)} {since_short(total.previous_year, year)}"


def _table_header() -> str:
    return (
        f"{'Mã':<4} {'Chỉ số nội dung':<50} {'Điểm':>6} {'Toàn quốc':>9} {'Vùng':>6}  {'Nhóm':<16} {'Thay đổi':>8} "
        f"{'So với':>6}"
    )


def _table_line(d) -> str:
    change = fmt.signed(d.change) + ("*" if not d.comparable else "")
    return (
        f"{d.code:<4} {d.name_vi[:50]:<50} {d.score_display:>6} "
        f"{fmt.rank(d.national_rank, d.national_n):>9} {fmt.rank(d.comparison_rank, d.comparison_n):>6}  "
        f"{d.performance_group:<16} {change:>8} {d.previous_year or fmt.MISSING:>6}"
    )
