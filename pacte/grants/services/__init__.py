"""Business operations on appels à projets, one module per stage: `calls` (drafting, publishing, closing),
`applications` (candidatures and their filing), `evaluations` (reviewers and their scores), `decisions` (the
decision and the convention or arrêté it creates), `payments` (the advance and the balance), `reports` (the
yearly reports of a grant) and `reminders` (the e-mails sent while a report is due or late); `common` holds what
they share (the SIRET check). The rules and their sources are in `pacte.grants.rules`.

Every operation that writes runs in one transaction and checks its rules first: a refused operation raises a
`django.core.exceptions.ValidationError` whose message dict names the field (`amounts.2025`,
`cofundings[1].amount`, `scores.3`) and says why in French, and nothing is written. Views, commands and the
demo loader call these functions; they never change state themselves.

This package re-exports the names the rest of the project uses (the demo loader, the tests); code inside
`pacte.grants` imports the modules themselves.
"""

from pacte.core.validators import siret_problem
from pacte.grants.services.applications import (
    ApplicationData,
    CoFundingRow,
    ProjectIndicatorRow,
    organisation_problem,
    save_application,
    submission_problems,
    submit_application,
    withdraw_application,
)
from pacte.grants.services.calls import (
    CALL_FIELDS,
    CallData,
    CriterionRow,
    call_refusal,
    close_call,
    close_expired_calls,
    create_call,
    publish_call,
    update_call,
)
from pacte.grants.services.common import ZERO
from pacte.grants.services.decisions import decide_application, granted_in_call, granted_to_beneficiary
from pacte.grants.services.evaluations import (
    ReviewSummary,
    ScoreRow,
    assign_reviewer,
    remove_reviewer,
    review_summary,
    save_review,
)
from pacte.grants.services.payments import record_payment
from pacte.grants.services.reminders import RemindersSent, send_report_reminders
from pacte.grants.services.reports import open_report, review_report, save_report, submit_report

__all__ = [
    "CALL_FIELDS",
    "ZERO",
    "ApplicationData",
    "CallData",
    "CoFundingRow",
    "CriterionRow",
    "ProjectIndicatorRow",
    "RemindersSent",
    "ReviewSummary",
    "ScoreRow",
    "assign_reviewer",
    "call_refusal",
    "close_call",
    "close_expired_calls",
    "create_call",
    "decide_application",
    "granted_in_call",
    "granted_to_beneficiary",
    "open_report",
    "organisation_problem",
    "publish_call",
    "record_payment",
    "remove_reviewer",
    "review_report",
    "review_summary",
    "save_application",
    "save_report",
    "save_review",
    "send_report_reminders",
    "siret_problem",
    "submission_problems",
    "submit_application",
    "submit_report",
    "update_call",
    "withdraw_application",
]
