"""The Tổng quan page's sections: what it takes, per dimension, and the year's change by dimension
(overview_targets); the one-click Word report (report_button)."""
