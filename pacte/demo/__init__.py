"""The demo: fictitious accounts, contracts, observations, instances and grants for the Pays de la Loire, loaded
by `pacte load_demo` (demo mode only, idempotent).

What the demo holds is data, in `data/*.yaml` (one file per part, each described by its header comment and by
docs/demo.md); the modules read their file (`files`: French errors naming the file and the line) and create
the rows through the apps' services, in this order: `accounts` (organisations and one account per role),
`contracts` (with `contract_specs`, the format of its file), `observation`, `governance` (with
`governance_specs`), `grants`. `common` holds what the loaders share. The demo may import every app; no app
imports it (docs/dev/architecture.md).
"""
