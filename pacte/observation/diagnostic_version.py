"""The data version of a territory's public diagnostic, and where its PDF is stored.

The PDF of the public diagnostic (what an anonymous visitor sees: public indicators, signed contracts) is rendered
once per data version and stored (`pacte.core.pdf_cache`). The data version is everything the diagnostic reads
that can change, read in five small queries whatever the number of values:

- every indicator: its last change (label, source, public or not…) and the latest change of its values
  (`Observation.updated_at`, set by every import and every edit; the (indicator, updated_at) index answers);
- the number of values of the territories a diagnostic shows (régions, départements, métropoles and France:
  the territory, its région, its peers, the map of départements), so that a value deleted changes it too;
- the signed contracts of the territory (and inside it): how many, and their last change (a new signature, a
  version replaced by an amendment);
- the territories of those levels: how many are in force and the latest COG year (a COG update renames);
- the layout of the PDF (its template).

A signed-in user may see more (restricted indicators, drafts): their diagnostic is rendered for them and never
stored.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, OuterRef, Q, Subquery

from pacte.contracts.models import Contract
from pacte.contracts.perms import visible_contracts_q
from pacte.core.pdf_cache import ROOT, layout_digest, version_digest
from pacte.observation import pdf, queries
from pacte.observation.models import Indicator, Observation
from pacte.territories.models import Territory


def _diagnostic_territories_q(prefix: str = "") -> Q:
    return (
        queries.level_q("region", prefix)
        | queries.level_q("departement", prefix)
        | queries.level_q("metropole", prefix)
    )


def data_version(territory: Territory) -> tuple:
    """What the public diagnostic of `territory` depends on (see the module's docstring): five queries."""
    latest_value = (
        Observation.objects.filter(indicator=OuterRef("pk")).order_by("-updated_at").values("updated_at")[:1]
    )
    indicators = list(
        Indicator.objects.order_by("pk")
        .annotate(latest_value=Subquery(latest_value))
        .values_list("pk", "updated_at", "latest_value")
    )
    shown = Territory.objects.filter(_diagnostic_territories_q()).values("pk")
    # Two counts: each walks the (territory, indicator) index; an OR of both would scan every value.
    values = (
        Observation.objects.filter(territory__in=shown).count(),
        Observation.objects.filter(territory__isnull=True).count(),
    )
    contracts = (
        Contract.objects.filter(territory.within_q("territory__"))
        .filter(visible_contracts_q(AnonymousUser()))
        .aggregate(count=Count("pk"), changed=Max("updated_at"))
    )
    territories = Territory.objects.filter(_diagnostic_territories_q()).aggregate(
        active=Count("pk", filter=Q(is_active=True)), cog=Max("cog_year")
    )
    return (
        territory.pk,
        territory.code,
        territory.name,
        indicators,
        values,
        contracts["count"],
        contracts["changed"],
        territories["active"],
        territories["cog"],
        layout_digest((pdf.TEMPLATE,)),
    )


def stored_name(territory: Territory) -> str:
    """Where the PDF of the public diagnostic of `territory` is stored for its current data version."""
    level = queries.level_of(territory)
    return f"{ROOT}/diagnostics/{level}-{territory.code}/{version_digest(*data_version(territory))}.pdf"
