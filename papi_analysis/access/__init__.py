"""Who may write: accounts, sign-in and what each account may do.

throttle     failed sign-ins per (client address, account) and per address, in a SQLite file shared by every worker
passwords    scrypt hashes, the sign-in check (throttled), upgrades of old hashes
transport    which connections may carry a password (no plain http:// from another machine)
permissions  analysts, department reporters (their own unit's task statuses only) and the command line; the
             store checks every write against them
accounts     analyst and reporter accounts in secrets.toml, always written whole, atomically, 0600
sessions     a sign-in that survives a reload: a signed, expiring HttpOnly cookie, ended by sign-out or a new password
"""
