"""The command line, python -m papi_analysis …; its commands and their --json keys are a public contract.

output         who ran a command, and strict JSON
vietnamese     argparse's own words (usage, options, help, refusals) in Vietnamese; values named in Vietnamese
main           the parser, summary, add-analyst, build
plan_commands  tasks, task-status, report
draft_commands plan-draft: next year's plan drafted from a year's results, with its tasks file
data_commands  ingest, uploads, rollback, export
"""
