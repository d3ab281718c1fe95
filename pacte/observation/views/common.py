"""What the observation pages share: finding what the user may see (or answering as if it did not exist),
refusing who may not import, and the breadcrumb root."""

from django.core.exceptions import PermissionDenied

from pacte.core.visibility import Hidden
from pacte.observation import diagnostics, perms, queries
from pacte.observation.barometer import reads
from pacte.observation.barometer.figures import TargetProgress
from pacte.observation.models import ImportBatch, Indicator
from pacte.programme.models import Target
from pacte.territories.models import Territory
from pacte.territories.perms import can_view_territory

INDEX = {"url": "/observation/", "title": "Observation de la pauvreté"}


def indicator_or_hide(user, code: str) -> Indicator:
    """The indicator `code` annotated with its levels (queries.indicator_with_levels), if `user` may see it."""
    indicator = queries.indicator_with_levels(user, code)
    if indicator is None:
        raise Hidden("Indicateur introuvable")
    return indicator


def public_indicator_or_hide(code: str) -> Indicator:
    """The indicator `code` if it is public (open data publishes nothing else, whoever asks)."""
    indicator = Indicator.objects.filter(code=code, is_public=True).first()
    if indicator is None:
        raise Hidden("Indicateur introuvable ou non publié en données ouvertes")
    return indicator


def target_progress_or_hide(user, code: str) -> TargetProgress:
    """The barometer line of the national target `code`, read as `user` may (public indicators only unless
    the user is of the Pacte's steering)."""
    include = perms.can_view_restricted_indicators(user)
    try:
        return reads.target_progress(code, include_restricted=include)
    except Target.DoesNotExist:
        raise Hidden(
            "Cette cible n'existe pas ou n'est pas une cible nationale suivie par le baromètre."
        ) from None


def diagnostic_territory_or_hide(user, level: str, code: str) -> Territory:
    """The territory of a diagnostic (a département, a métropole or a région), if `user` may see it."""
    territory = diagnostics.diagnostic_territory(level, code)
    if territory is None or not can_view_territory(user, territory):
        raise Hidden("Territoire introuvable")
    return territory


def require_importer(user) -> None:
    """Imports are national steering's: anyone else is refused (403), whatever the import."""
    if not perms.can_import_observations(user):
        raise PermissionDenied


def batch_or_hide(user, pk: int, *, with_user: bool = False) -> ImportBatch:
    """The import `pk` for someone who may import (403 for anyone else, 404 for an unknown import)."""
    require_importer(user)
    batches = ImportBatch.objects.select_related("user") if with_user else ImportBatch.objects.all()
    batch = batches.filter(pk=pk).first()
    if batch is None:
        raise Hidden("Import introuvable")
    return batch
