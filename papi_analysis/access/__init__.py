"""Who may write: analyst accounts and sign-in.

throttle   failed sign-ins per (client address, account) and per address, in a SQLite file shared by every worker
passwords  scrypt hashes, the sign-in check (throttled), upgrades of old hashes
accounts   analyst accounts in secrets.toml, always written whole, atomically, 0600
transport  which connections may carry a password (no plain http:// from another machine)
"""
