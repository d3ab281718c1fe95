"""`pacte grants cloturer` (alias `close`): the closure of the calls whose deadline passed is recorded."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pacte.grants.enums import ApplicationStatus, CallStatus
from tests.grants.factories import ApplicationFactory, CallFactory


@pytest.mark.parametrize("action", ["cloturer", "close"])
def test_cloturer_and_its_english_alias_record_the_closure_of_expired_calls(region, action):
    expired = CallFactory(region=region, expired=True)
    filed = ApplicationFactory(call=expired)
    open_call = CallFactory(region=region)
    out = io.StringIO()
    call_command("grants", action, stdout=out)
    assert out.getvalue() == "Appels à projets clos : 1.\n"
    expired.refresh_from_db()
    open_call.refresh_from_db()
    filed.refresh_from_db()
    assert (expired.status, open_call.status) == (CallStatus.CLOSED, CallStatus.PUBLISHED)
    assert filed.status == ApplicationStatus.UNDER_REVIEW


def test_an_unknown_action_is_refused(region):
    with pytest.raises(CommandError):
        call_command("grants", "fermer")
