"""The rules of `pacte.governance.perms` that the pages and the API share, held against their one-object form:
the decisions a person reads (`visible_decisions`, with or without the instance they belong to, is exactly
`can_view_decision`), the territories an instance may be created in or moved to."""

from django.contrib.auth.models import AnonymousUser

from pacte.governance import perms
from pacte.governance.models import Decision
from tests.accounts.factories import UserFactory
from tests.governance.factories import CommitteeFactory, DecisionFactory, MeetingFactory, MemberFactory


def _decisions_of(committee):
    meeting = MeetingFactory(committee=committee, past=True)
    return [DecisionFactory(meeting=meeting), DecisionFactory(meeting=meeting, confidential=True)]


def _allowed(user, decisions) -> list[int]:
    """The decisions `user` may read, one by one."""
    return sorted(decision.pk for decision in decisions if perms.can_view_decision(user, decision))


def _visible(user, decisions, committee=None) -> list[int]:
    """The decisions `user` may read, as the pages and the API filter them."""
    return sorted(perms.visible_decisions(user, decisions, committee=committee).values_list("pk", flat=True))


def test_visible_decisions_is_can_view_decision_for_everyone_with_or_without_the_instance(
    region,
    committee,
    seated,
    commissioner,
    other_commissioner,
    ddets,
    association_user,
    outsider_association,
    national,
):
    public = CommitteeFactory(territory=region, public=True)
    MemberFactory(committee=public, organisation=association_user.organisation)
    committees = [committee, public]
    for each in committees:
        _decisions_of(each)
    people = [
        AnonymousUser(),
        commissioner,
        other_commissioner,
        ddets,
        association_user,
        outsider_association,
        national,
        UserFactory(),
    ]
    for user in people:
        assert _visible(user, Decision.objects.all()) == _allowed(user, Decision.objects.all()), user
        for each in committees:
            inside = Decision.objects.filter(meeting__committee=each)
            assert _visible(user, inside, committee=each) == _allowed(user, inside), (user, each)


def test_the_public_reads_the_public_decisions_of_a_public_instance_only(region, committee):
    public = CommitteeFactory(territory=region, public=True)
    shown, reserved = _decisions_of(public)
    _decisions_of(committee)
    anonymous = AnonymousUser()
    assert list(perms.visible_decisions(anonymous, Decision.objects.all())) == [shown]
    assert list(
        perms.visible_decisions(anonymous, public.meetings.get().decisions.all(), committee=public)
    ) == [shown]
    assert reserved.is_confidential


def test_instances_are_created_and_moved_within_the_creators_scope(
    region, other_region, loire_atlantique, commissioner, ddets, national, association_user
):
    assert set(perms.committee_territories(commissioner)) == {region, loire_atlantique}
    assert set(perms.committee_territories(ddets)) == {loire_atlantique}
    assert set(perms.committee_territories(national)) == {region, other_region, loire_atlantique}
    assert not perms.committee_territories(association_user).exists()
    elsewhere = CommitteeFactory(territory=other_region)
    assert perms.can_move_committee(commissioner, elsewhere, other_region)  # its territory is kept
    committee = CommitteeFactory(territory=region)
    assert perms.can_move_committee(commissioner, committee, loire_atlantique)
    assert not perms.can_move_committee(commissioner, committee, other_region)
    assert not perms.can_move_committee(ddets, CommitteeFactory(territory=loire_atlantique), region)
