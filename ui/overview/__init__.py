"""The Tổng quan page's sections: the one-click Word report (report_button)."""
