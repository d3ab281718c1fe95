"""The demo: fictitious accounts, contracts, observations, instances and grants for the Pays de la Loire, loaded
by `pacte load_demo` (demo mode only, idempotent).

Each module loads one app's part through that app's services, in this order: `accounts` (organisations and one
account per role), `contracts`, `observation`, `governance`, `grants`. The demo may import every app; no app
imports it (docs/dev/architecture.md).
"""
