"""The improvement plan (Kế hoạch 120/KH-UBND, 2023, and its successors) and its follow-through.

In the order data flows through them:
    agencies      one spelling per body, shared bodies, a unit's role in a task
    plan_tasks    tasks files, due dates, whole-index vs specific tasks, coverage, filters and search
    task_status   statuses per quarter, status as of a day, overdue, progress
    status_file   the quarterly report file: export, validated import, preview
    task_tables   the Nhiệm vụ page's tables and their downloads
    plan_effect   per dimension: specific tasks, share done, score and rank change over the plan's year
"""
