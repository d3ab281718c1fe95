"""Contrats locaux des solidarités: versions and avenants, fiches-actions, budgets, indicators, execution
reports and State credits, notified ceilings and national envelopes, the consolidation by envelope, the rows to bring
into compliance, one module per resource (`contracts`, `actions`, `budget`, `execution`, `allocations`,
`consolidation`, `evaluation`, `pacts`, `compliance`) on one router, with their JSON in `schemas` (`allocations`,
`consolidation`, `evaluation`, `pacts` and `compliance` keep their own).

Signed versions, their fiches-actions, budget lines and indicators are open data; drafts are answered 404
to whoever may not see them (perms.can_view_contract). Reports and credits need perms.can_follow_contract.
Every write calls a function of pacte.contracts.services inside one transaction; its refusals become
`422` with `erreurs` naming the field path the service used (`budget.2024`, `budget[0].amount`…), and a
stale `lock_version` or a signed version becomes `409`. Money is a decimal written as a JSON string
(« 49000.00 »), never a float.
"""

from pacte.api.contracts import (  # noqa: F401  (they register the routes)
    actions,
    allocations,
    budget,
    compliance,
    consolidation,
    contracts,
    evaluation,
    execution,
    pacts,
)
from pacte.api.contracts.common import router

__all__ = ["router"]
