"""A ProvinceSummary in words: section I of the plan (the paragraph staff paste into next year's plan),
the notes that go under the dimension table, and the command line's plain-text report."""

from __future__ import annotations

from . import fmt
from .domain import (
    EIGHT_DIMENSION_FROM,
    GROUPS,
    NEW_UNITS,
    OLD_UNITS,
    REBUILT_2016,
    REORGANISATION_DATE,
    TOTAL,
    UNIT_SET_NOUNS,
    has_eight_dimensions,
)
from .summary import Predecessor, ProvinceSummary, Status


def _join(items: list[str]) -> str:
    """'A, B và C'; with '; ' between items when a name itself has a comma."""
    if len(items) <= 1:
        return "".join(items)
    separator = "; " if any("," in item for item in items) else ", "
    return separator.join(items[:-1]) + " và " + items[-1]


def _subject(summary: ProvinceSummary) -> str:
    return f"{summary.unit_type} {summary.province}"


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
    if total.national_rank_change is not None:
        rank += f", {fmt.rank_change(total.national_rank_change)}"
    in_group = f"xếp thứ {total.comparison_rank}/{total.comparison_n} {summary.comparison.phrase}"
    ahead = list(summary.ahead_in_comparison)
    if total.comparison_rank == 1:
        in_group += " (dẫn đầu)"
    elif ahead and len(ahead) <= 4:
        in_group += f" sau {', '.join(ahead)}"
    if total.comparison_rank_change is not None:
        in_group += f", {fmt.rank_change(total.comparison_rank_change)}"
    if total.previous_year and summary.total_change_comparable:
        change = f"So với năm {total.previous_year} {fmt.score_change(total.change)}, "
        return [first, f"{change}{rank} và {in_group}."]
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
        notes.append("* Thay đổi qua mốc 2018 (PAPI đổi phương pháp), chỉ để tham khảo.")
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
    if any(not d.comparable for d in summary.dimensions):
        lines.append("* thay đổi qua mốc 2018 (đổi phương pháp), chỉ để tham khảo")
    weak = summary.weak_dimensions
    lines += ["", "Chỉ số yếu (nhóm Trung bình thấp, Thấp nhất): " + (", ".join(weak) if weak else "không có")]
    lines += ["", summary_paragraph(summary)]
    return "\n".join(lines)


def _total_lines(summary: ProvinceSummary) -> list[str]:
    total = summary.total
    national_change, group_change = (
        ("không so sánh", "không so sánh")
        if summary.first_after_change
        else (fmt.rank_change(total.national_rank_change), fmt.rank_change(total.comparison_rank_change))
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


def _table_header() -> str:
    return f"{'Mã':<4} {'Chỉ số nội dung':<50} {'Điểm':>6} {'Toàn quốc':>9} {'Vùng':>6}  {'Nhóm':<16} {'Thay đổi':>8}"


def _table_line(d) -> str:
    change = fmt.signed(d.change) + ("*" if not d.comparable else "")
    return (
        f"{d.code:<4} {d.name_vi[:50]:<50} {d.score_display:>6} "
        f"{fmt.rank(d.national_rank, d.national_n):>9} {fmt.rank(d.comparison_rank, d.comparison_n):>6}  "
        f"{d.performance_group:<16} {change:>8}"
    )
