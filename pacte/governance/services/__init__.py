"""State changes of the governance and the concertation, one module per sub-domain:

- `committees`: instances and their members; `steering`: an instance as the comité de pilotage of contracts;
- `meetings`: planning, changes, cancellation; `attendance`: who is invited and who came;
- `invitations`: convocations by e-mail with the calendar event;
- `documents`: uploaded files and frozen extracts of the observation; `minutes`: the compte rendu;
- `decisions`: the relevé de décisions and its follow-up;
- `calendar_tokens`: the secret addresses of the calendar feeds;
- `concertation`: themes, stakeholders, contributions and syntheses.

Every operation that writes runs in one transaction and checks its rules first: a refused operation raises a
`django.core.exceptions.ValidationError` whose message dict names the field, in French, and nothing is
written. Edits of rows that two people may open at once take the version they read (`expected_version`) and
raise `pacte.core.locking.StaleEditError` when someone saved in between. Views call these functions; they
never change state themselves. Reads the pages share live in `pacte.governance.queries`.

Inside the governance app, import the submodules; this package re-exports the operations for the other apps
(the demo loaders).
"""

from pacte.governance.services.attendance import record_attendance, sync_attendances
from pacte.governance.services.calendar_tokens import (
    calendar_token_user,
    issue_calendar_token,
    revoke_calendar_tokens,
)
from pacte.governance.services.committees import (
    COMMITTEE_FIELDS,
    MEMBER_FIELDS,
    create_committee,
    save_member,
    update_committee,
)
from pacte.governance.services.common import NEW
from pacte.governance.services.concertation import (
    STAKEHOLDER_FIELDS,
    THEMES_FILE,
    ThemesLoadReport,
    file_contribution,
    load_concertation_themes,
    publish_contribution,
    save_contribution,
    save_stakeholder,
    save_synthesis,
    withdraw_contribution,
)
from pacte.governance.services.decisions import add_decision, update_decision
from pacte.governance.services.documents import attach_extract, attach_file, remove_document
from pacte.governance.services.invitations import convene
from pacte.governance.services.meetings import cancel_meeting, create_meeting, mark_held, update_meeting
from pacte.governance.services.minutes import save_minutes, validate_minutes
from pacte.governance.services.steering import link_contract, unlink_contract

__all__ = [
    "COMMITTEE_FIELDS",
    "MEMBER_FIELDS",
    "NEW",
    "STAKEHOLDER_FIELDS",
    "THEMES_FILE",
    "ThemesLoadReport",
    "add_decision",
    "attach_extract",
    "attach_file",
    "calendar_token_user",
    "cancel_meeting",
    "convene",
    "create_committee",
    "create_meeting",
    "file_contribution",
    "issue_calendar_token",
    "link_contract",
    "load_concertation_themes",
    "mark_held",
    "publish_contribution",
    "record_attendance",
    "remove_document",
    "revoke_calendar_tokens",
    "save_contribution",
    "save_member",
    "save_minutes",
    "save_stakeholder",
    "save_synthesis",
    "sync_attendances",
    "unlink_contract",
    "update_committee",
    "update_decision",
    "update_meeting",
    "validate_minutes",
    "withdraw_contribution",
]
