"""Every state change of the contracts, one module per part of the life of a convention (as `views/`):

- `actions`: the fiches-actions of an editable version, their indicators and budget lines;
- `workflow`: a version from its creation to its signature (validations, comments);
- `amendments`: avenants and what they change;
- `execution`: the yearly execution reports and their review;
- `credits`: the State credits and their reallocation;
- `evaluation`: the mid-term evaluation;
- `pacts`: the pactes locaux des solidarités;
- `common`: what they share (the version in force, the checks of a year and of an indicator value).

Every operation that writes runs in one transaction and checks its rules first: a refused operation raises a
`django.core.exceptions.ValidationError` whose message dict names the field (paths such as `budget[2].amount`
or `indicators[0].year_targets.2025` for the rows of a fiche-action) and says why, in French, and nothing is
written. Views and the API call these functions; they never change state themselves.

This package re-exports the names used outside the contracts app (`from pacte.contracts import services`);
the app's own modules import the submodules.
"""

from pacte.contracts.services.actions import (
    ActionData,
    BudgetRow,
    IndicatorRow,
    check_budget,
    delete_action,
    save_action,
)
from pacte.contracts.services.amendments import Change, contract_diff, create_amendment
from pacte.contracts.services.common import check_indicator_value, current_version
from pacte.contracts.services.credits import (
    effective_ceiling,
    payment_allowed,
    reallocate_credits,
    record_credit,
)
from pacte.contracts.services.evaluation import (
    close_evaluation,
    evaluation_problems,
    file_evaluation,
    reopen_evaluation,
    save_conclusion,
    save_evaluation_part,
)
from pacte.contracts.services.execution import (
    SpendingRow,
    open_report,
    report_problems,
    review_report,
    save_report,
    submit_report,
)
from pacte.contracts.services.pacts import (
    PactActionData,
    PriorityRow,
    SignatoryRow,
    save_local_pact,
    save_pact_action,
    save_pact_envelope,
    share_pact_envelope,
)
from pacte.contracts.services.workflow import (
    add_comment,
    create_contract,
    readiness_problems,
    reopen_contract,
    sign_contract,
    submit_contract,
    update_contract,
    validate_contract,
)

__all__ = [
    "ActionData",
    "BudgetRow",
    "Change",
    "IndicatorRow",
    "PactActionData",
    "PriorityRow",
    "SignatoryRow",
    "SpendingRow",
    "add_comment",
    "check_budget",
    "check_indicator_value",
    "close_evaluation",
    "contract_diff",
    "create_amendment",
    "create_contract",
    "current_version",
    "delete_action",
    "effective_ceiling",
    "evaluation_problems",
    "file_evaluation",
    "open_report",
    "payment_allowed",
    "readiness_problems",
    "reallocate_credits",
    "record_credit",
    "reopen_contract",
    "reopen_evaluation",
    "report_problems",
    "review_report",
    "save_action",
    "save_conclusion",
    "save_evaluation_part",
    "save_local_pact",
    "save_pact_action",
    "save_pact_envelope",
    "save_report",
    "share_pact_envelope",
    "sign_contract",
    "submit_contract",
    "submit_report",
    "update_contract",
    "validate_contract",
]
