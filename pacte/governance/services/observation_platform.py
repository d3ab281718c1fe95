"""The members of a région's GT « Pauvreté » (the regional observation platform, seed 003) import the
observation files of their région: their seat gives them the permission `observation.import_regional`, and
leaving the GT takes it back.

The permission goes through one group, `IMPORTERS_GROUP`, that this module alone fills and empties: a permission
granted by hand on an account (or through another group) is never touched. A user belongs to the group while
holding a seat in force (`Member.is_active_on`) in an active GT « Pauvreté » sitting in a région (or a
collectivité d'outre-mer with a région's powers) whose territory is that of the account or contains it: the
observation imports are limited to the région of the account's territory (`pacte.observation.perms`), so a seat
in another région's GT gives nothing.

`sync_importer(user)` runs after every change of a seat or of an instance (services.committees); a seat that ends
on a date needs no change to expire, so `pacte governance synchroniser` (daily, docs/deploiement.md) calls
`sync_all_importers()`.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils import timezone

from pacte.governance.enums import CommitteeKind
from pacte.governance.models import Member
from pacte.observation import perms as observation_perms
from pacte.territories.enums import Level

IMPORTERS_GROUP = "GT « Pauvreté » – imports d'observation de la région"

REGION_LEVELS = (Level.REGION, Level.COM)


def importers_group() -> Group:
    """The group holding `observation.import_regional`, created on first use."""
    group, _ = Group.objects.get_or_create(name=IMPORTERS_GROUP)
    app_label, codename = observation_perms.REGIONAL_IMPORT_PERMISSION.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    group.permissions.add(permission)
    return group


def account_region(user):
    """The région of the account's territory (the région observation imports are limited to), or None."""
    territory = user.territory if user.territory_id else None
    if territory is None:
        return None
    if territory.level in REGION_LEVELS:
        return territory
    return territory.region if territory.region_id else None


def poverty_seats(user, day: date | None = None):
    """The seats of `user` in force on `day` (today) in an active GT « Pauvreté » of the région of the account."""
    region = account_region(user)
    if region is None:
        return Member.objects.none()
    day = day or timezone.localdate()
    return Member.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        user=user,
        start_date__lte=day,
        committee__kind=CommitteeKind.POVERTY_WORKING_GROUP,
        committee__is_active=True,
        committee__territory=region,
    )


def sync_importer(user, day: date | None = None) -> bool:
    """Put `user` in the importers' group or take them out of it, as their seats say; True if they are in."""
    group = importers_group()
    entitled = bool(user.is_active) and poverty_seats(user, day).exists()
    if entitled:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    # Django caches an account's permissions on the instance.
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return entitled


def sync_committee_importers(committee, day: date | None = None) -> None:
    """After a change of an instance (its kind, its territory, its activity): every account seated in it."""
    users = get_user_model().objects.filter(committee_seats__committee=committee).distinct()
    for user in users:
        sync_importer(user, day)


def sync_all_importers(day: date | None = None) -> tuple[int, int]:
    """Every account in the group or seated in a GT « Pauvreté »: (accounts in the group after, accounts taken
    out)."""
    group = importers_group()
    users = (
        get_user_model()
        .objects.filter(
            Q(groups=group) | Q(committee_seats__committee__kind=CommitteeKind.POVERTY_WORKING_GROUP)
        )
        .distinct()
    )
    members = removed = 0
    for user in users:
        was_in = user.groups.filter(pk=group.pk).exists()
        now_in = sync_importer(user, day)
        members += now_in
        removed += was_in and not now_in
    return members, removed
