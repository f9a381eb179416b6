"""The Nhiệm vụ page's sections: filters and their URL (task_filters), progress per dimension (progress),
per unit (by_unit), recording a status (updates), the quarterly report file (status_exchange), the plan's
effect (effect); next year's plan drafted, and its tasks file (plan_draft_button)."""
