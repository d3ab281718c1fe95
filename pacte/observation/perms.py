"""Who may see and do what in the observation of poverty and the barometer of the Pacte.

Public indicators, their values, maps, diagnostics and the public barometer are open to everyone (open
data). An indicator marked as not public (a figure shared among the Pacte's steering before publication)
is visible to national steering, regional commissioners, the State's departmental services and the
collectivités.

Imports: national steering imports files for every territory and for France. In a région, the regional
commissioner and the members of the GT « Pauvreté » of the regional observation platform import files for the
région's territories only (never for France, never outside): the seed « Plateforme d'observation des
solidarités – GT Pauvreté » (Pays de la Loire, 20 octobre 2023, seeds/003) places at the regional level,
« sous l'impulsion du Commissaire à la lutte contre la pauvreté », « Le GT « Pauvreté » de la Plateforme
d'observation des solidarités (POS) > l'observation de la précarité ». The commissioner imports by role; a
member of the GT holds the permission `observation.import_regional`, which adds this one right to the account's
role without changing it, and imports for the région of the account's territory. A seat in the région's GT gives
it and the end of the seat takes it back (pacte.governance.services.observation_platform, through one group);
national steering may also grant it by hand in the administration.
"""

from pacte.accounts.enums import Role
from pacte.accounts.scope import has_role, is_national
from pacte.territories.enums import Level

REGIONAL_IMPORT_PERMISSION = "observation.import_regional"

STEERING_ROLES = (Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER, Role.DDETS, Role.LOCAL_AUTHORITY)


def can_view_restricted_indicators(user) -> bool:
    """National steering, the regional commissioners, the DDETS and the collectivités."""
    return has_role(user, *STEERING_ROLES)


def can_view_indicator(user, indicator) -> bool:
    """Everyone for a public indicator; the Pacte's steering for the others."""
    return indicator.is_public or can_view_restricted_indicators(user)


def visible_indicators(user, indicators):
    """`indicators` (a queryset of Indicator) narrowed to what `user` may see."""
    return indicators if can_view_restricted_indicators(user) else indicators.filter(is_public=True)


def import_region(user):
    """The région whose territories `user` may import for, apart from national steering (who imports
    everywhere): the commissioner's région, or the région of the territory of a member of the GT « Pauvreté »
    (permission `observation.import_regional`); None for everyone else."""
    if not (user.is_authenticated and user.is_active and user.territory_id):
        return None
    if not (has_role(user, Role.REGIONAL_COMMISSIONER) or user.has_perm(REGIONAL_IMPORT_PERMISSION)):
        return None
    territory = user.territory
    if territory.level in (Level.REGION, Level.COM):
        return territory
    return territory.region if territory.region_id else None


def can_import_observations(user) -> bool:
    """National steering (everywhere), the regional commissioner and the members of the région's GT
    « Pauvreté » (their région's territories only): an import changes the figures everyone reads."""
    return is_national(user) or import_region(user) is not None


def import_limit(user):
    """The région an import by `user` is limited to: None for national steering (no limit)."""
    return None if is_national(user) else import_region(user)


def visible_imports(user, batches):
    """`batches` (a queryset of ImportBatch) narrowed to those `user` may read."""
    if is_national(user):
        return batches
    region = import_region(user)
    return batches.filter(region=region) if region is not None else batches.none()


def can_view_import(user, batch) -> bool:
    """National steering every import; a regional importer the imports of its région."""
    if is_national(user):
        return True
    region = import_region(user)
    return region is not None and batch.region_id == region.pk


def missing_reports_reader(user):
    """Which contracts' missing execution reports `user` may read, as a test on a contract (the consolidation's
    rule): national steering and regional commissioners all of them, a DDETS those of its région, a
    collectivité its own; None for the others (the barometer does not show the section)."""
    if has_role(user, Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER):
        return lambda contract: True
    if has_role(user, Role.DDETS) and user.territory_id:
        region_id = user.territory.region_id
        return lambda contract: contract.territory.region_id == region_id
    if has_role(user, Role.LOCAL_AUTHORITY) and user.territory_id:
        return lambda contract: contract.territory_id == user.territory_id
    return None
