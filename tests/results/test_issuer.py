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


def test_a_province_that_did_not_change_keeps_its_name(ref):
    result = issuer(ref, "old:ha-noi", AFTER)
    assert result.unit_id == "new:ha-noi" and result.reported_name == "thành phố Hà Nội"
    assert not result.reported_is_former and result.predecessors == ()


def test_a_renamed_province_is_now_the_new_unit(ref):
    result = issuer(ref, "old:thua-thien-hue", AFTER)
    assert result.unit_id == "new:hue" and result.committee_unit == "THÀNH PHỐ HUẾ"
    assert result.reported_name == "tỉnh Thừa Thiên Huế (cũ), nay là thành phố Huế" and result.reported_is_former


def test_the_merged_unit_names_its_predecessors_and_its_addressees(ref):
    after, before = issuer(ref, "old:soc-trang", AFTER), issuer(ref, "old:soc-trang", BEFORE)
    assert set(after.predecessors) == {"old:soc-trang", "old:hau-giang", "old:can-tho"} and before.predecessors == ()
    assert (after.unit_type, after.party_committee) == ("thành phố", "Thành ủy")
    assert (before.unit_type, before.party_committee) == ("tỉnh", "Tỉnh ủy")
