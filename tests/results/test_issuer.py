"""The issuing body of a document drafted on a day, and how it names a unit that no longer exists (issue 21)."""

from datetime import date

from papi_analysis.results.issuer import issuer

BEFORE, AFTER = date(2025, 6, 30), date(2025, 7, 1)


def test_a_report_on_soc_trang_drafted_after_the_merger_is_issued_by_can_tho(ref):
    result = issuer(ref, "old:soc-trang", AFTER)
    assert (result.unit_id, result.committee, result.committee_unit) == (
        "new:can-tho",
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ CẦN THƠ",
    )
    assert result.place == "Cần Thơ" and result.short_body == "UBND thành phố Cần Thơ"
    assert result.reported_name == "tỉnh Sóc Trăng (cũ), nay thuộc thành phố Cần Thơ"
    assert result.reported_is_former


def test_the_old_city_whose_name_the_new_one_keeps_is_said_former(ref):
    result = issuer(ref, "old:can-tho", AFTER)
    assert result.unit_id == "new:can-tho" and result.reported_name == "thành phố Cần Thơ (cũ)"


def test_before_the_merger_the_province_issues_its_own(ref):
    result = issuer(ref, "old:soc-trang", BEFORE)
    assert (result.unit_id, result.committee_unit, result.place) == ("old:soc-trang", "TỈNH SÓC TRĂNG", "Sóc Trăng")
    assert result.reported_name == "tỉnh Sóc Trăng" and not result.reported_is_former


def test_a_new_unit_reports_on_itself(ref):
    result = issuer(ref, "new:can-tho", AFTER)
    assert result.unit_id == "new:can-tho" and result.reported_name == "thành phố Cần Thơ"
    assert not result.reported_is_former
