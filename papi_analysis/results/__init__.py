"""Results: what the stored scores say, computed in pandas (no I/O but province_view's read of the store).

In the order data flows through them:
    metrics           ranks, changes, performance groups, gaps, weak dimensions, group best and median
    comparison_group  the group a focus unit is measured against: its region, another region, or a list
    lineage           which unit a province is in the other unit set (63 provinces <-> 34 units)
    trends            series for trend charts across the 2025 reorganisation
    intervals         whether the focus unit's aggregate differs from others' beyond chance (95% CIs)
    summary           a province's year as typed results (ProvinceSummary, MeasureResult, Status)
    province_view     a name of either unit set and a year -> the summary of that year's unit
    issuer            who issues a document drafted on a day; a unit that no longer exists named as such
    targets           what it takes: points to the next group or a target rank, the margin, places per +0,10
    total_change      the year's change in the aggregate, dimension by dimension (refused across 2018)
"""
