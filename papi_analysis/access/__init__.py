"""Who may write: accounts, sign-in and what each account may do.

throttle     failed sign-ins counted in a SQLite file shared by every worker
passwords    scrypt hashes, the sign-in check (throttled), upgrades of old hashes
permissions  analysts, department reporters (their own unit's task statuses only) and the command line; the
             store checks every write against them
accounts     analyst and reporter accounts in secrets.toml, always written whole, atomically, 0600
"""
