"""The Tải dữ liệu lên page's sections: the scores tab (scores_tab) with its editable mapping
(mapping_editor) and preview (preview); the tasks tab (tasks_tab)."""
