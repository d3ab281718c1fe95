"""The pactes locaux des solidarités: the pact with its perimeter, 1 to 3 priorities, priority publics and
signatories; the regional envelopes for the pacts and their split among départements; the collected actions
and their follow-up. The sources of each rule are in `pacte.contracts.models.pacts` and docs/contrats.md.

- « une à trois priorités identifiées, sur un périmètre géographique précis » ; « Chaque priorité doit se
  développer en un plan d'action, avec un pilote à sa tête, chargé d'organiser un comité technique » ; « Les
  mesures doivent cibler en priorité les enfants, les femmes, les familles monoparentales, ainsi que les
  travailleurs pauvres » ; « Chaque région se voit attribuer une enveloppe » ; credits « dédiés exclusivement à
  la mise en œuvre des pactes locaux, les commissaires à la lutte contre la pauvreté étant garants de leur bonne
  répartition » — instruction of 12 June 2024 as cited by ASH
  (https://ash.tm.fr/juridique/pactes-locaux-de-solidarite-quels-enjeux-pour-2024-914195.php).
- Each signatory with its contribution: « en mentionnant la contribution de chaque institution » — instruction
  n° DGCS/SD1B/2023/169 of 23 November 2023 as cited by La Gazette des communes
  (https://www.lagazettedescommunes.com/901107/la-mise-en-oeuvre-territoriale-du-pacte-national-des-solidarites).
- The platform's own readings (no published text): at least one priority public per pact and per action; the
  credits of a département's collected actions in a year stay within its share of the envelope; a done action
  gives the number of people reached and an abandoned one says why (the DIPLP collection form is not published).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone

from pacte import formatting
from pacte.accounts.models import Organisation
from pacte.contracts.enums import PERIOD_END, PERIOD_START, PactActionStatus, PriorityPublic
from pacte.contracts.models.pacts import (
    LocalPact,
    PactAction,
    PactAllocation,
    PactEnvelope,
    PactPriority,
    PactSignatory,
)
from pacte.core.collation import french
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.territories.enums import Level
from pacte.territories.models import Territory

SIGNED = "Ce pacte local est signé : il ne peut plus être modifié."
PUBLICS = ", ".join(public.label.lower() for public in PriorityPublic)


@dataclass
class PriorityRow:
    title: str
    action_plan: str
    pilot: str
    technical_committee: str
    pk: int | None = None  # the priority it updates; None for a new one


@dataclass
class SignatoryRow:
    organisation_id: int | None = None
    name: str = ""
    contribution: str = ""
    amount: Decimal | None = None


# --- The pact -------------------------------------------------------------------------------------------


def signatory_organisations(territory: Territory):
    """Organisations that may sign a territory's pact: national ones, those of its région and of its
    département (for a métropole, the département it lies in)."""
    departement = territory if territory.level == Level.DEPARTEMENT else territory.departement
    scope = Q(territory__isnull=True)
    if territory.region_id:
        scope |= Q(territory=territory.region_id)
    if departement is not None:
        scope |= departement.within_q("territory__")
    return Organisation.objects.filter(scope).order_by(french("name"))


def perimeter_choices(territory: Territory):
    """The EPCI and communes a pact of `territory` may be limited to: those inside it (for a département, the
    EPCI whose main département it is)."""
    return (
        Territory.objects.active()
        .filter(territory.within_q(), level__in=[Level.EPCI, Level.COMMUNE])
        .exclude(pk=territory.pk)
        .order_by("-level", french("name"))  # EPCI, then communes
    )


def _check_publics(errors: Errors, path: str, codes: list[str], *, other: str = "", what: str) -> None:
    unknown = [code for code in codes if code not in PriorityPublic.values]
    if unknown:
        errors.add(path, f"Public inconnu : {', '.join(unknown)}. Les publics prioritaires sont : {PUBLICS}.")
    elif not codes and not other.strip():
        errors.add(path, f"Choisissez au moins un des publics prioritaires {what} : {PUBLICS}.")


def _check_priorities(errors: Errors, pact: LocalPact | None, priorities: list[PriorityRow]) -> None:
    if not 1 <= len(priorities) <= PactPriority.MAX_PER_PACT:
        errors.add(
            "priorities",
            f"Un pacte local compte de 1 à {PactPriority.MAX_PER_PACT} priorités ({len(priorities)} saisies).",
        )
    labels = {
        "title": "son intitulé",
        "action_plan": "son plan d'action",
        "pilot": "son pilote",
        "technical_committee": "son comité technique",
    }
    for index, row in enumerate(priorities):
        for name, label in labels.items():
            if not getattr(row, name).strip():
                errors.add(f"priorities[{index}].{name}", f"Priorité n°{index + 1} : indiquez {label}.")
    if pact is None:
        return
    kept = {row.pk for row in priorities if row.pk}
    owned = set(pact.priorities.values_list("pk", flat=True))
    if kept - owned:
        errors.add(
            "priorities", "Une des priorités envoyées n'appartient pas à ce pacte : rechargez la page."
        )
    for priority in pact.priorities.exclude(pk__in=kept).filter(actions__isnull=False).distinct():
        count = priority.actions.count()
        actions = formatting.plural(count, "action recueillie", "actions recueillies")
        errors.add(
            "priorities",
            f"La priorité « {priority.title} » porte {actions} : rattachez-{'la' if count == 1 else 'les'} à "
            "une autre priorité avant de la retirer.",
        )


def _check_perimeter(errors: Errors, territory: Territory, perimeter: list[Territory]) -> None:
    for place in perimeter:
        if place.level not in (Level.EPCI, Level.COMMUNE) or place.pk == territory.pk:
            errors.add("perimeter", f"Le périmètre ne compte que des EPCI ou des communes ({place.name}).")
        elif not territory.contains(place):
            errors.add(
                "perimeter",
                f"Le périmètre ne compte que des EPCI ou des communes de {territory.name} : {place.name} "
                "n'en fait pas partie.",
            )


def _check_signatories(errors: Errors, territory: Territory, signatories: list[SignatoryRow]) -> None:
    allowed = set(signatory_organisations(territory).values_list("pk", flat=True))
    seen = set()
    for index, row in enumerate(signatories):
        where, number = f"signatories[{index}]", f"Signataire n°{index + 1}"
        if row.organisation_id is None and not row.name.strip():
            errors.add(f"{where}.name", f"{number} : choisissez une organisation ou écrivez son nom.")
        elif row.organisation_id is not None and row.name.strip():
            errors.add(
                f"{where}.name", f"{number} : choisissez une organisation ou écrivez un nom, pas les deux."
            )
        elif row.organisation_id is not None and row.organisation_id not in allowed:
            errors.add(
                f"{where}.organisation",
                f"{number} : cette organisation n'intervient ni dans la région ni dans le département du pacte.",
            )
        elif row.organisation_id is not None and row.organisation_id in seen:
            errors.add(f"{where}.organisation", f"{number} : cette organisation signe déjà le pacte.")
        seen.add(row.organisation_id)
        if not row.contribution.strip():
            errors.add(
                f"{where}.contribution",
                f"{number} : indiquez sa contribution (le pacte mentionne la contribution de chaque institution).",
            )
        if row.amount is not None and row.amount < 0:
            errors.add(
                f"{where}.amount", f"{number} : une contribution financière ne peut pas être négative."
            )


def _save_priorities(pact: LocalPact, priorities: list[PriorityRow]) -> None:
    """Update the priorities sent with their id, create the others, delete the missing ones; ranks follow the
    given order."""
    kept = [row.pk for row in priorities if row.pk]
    pact.priorities.exclude(pk__in=kept).delete()
    existing = {priority.pk: priority for priority in pact.priorities.all()}
    # Out of the way of the (pact, rank) constraint while the ranks move.
    pact.priorities.update(rank=F("rank") + 10 * PactPriority.MAX_PER_PACT)
    for rank, row in enumerate(priorities, start=1):
        priority = existing.get(row.pk) or PactPriority(pact=pact)
        values = {
            "rank": rank,
            "title": row.title.strip(),
            "action_plan": row.action_plan.strip(),
            "pilot": row.pilot.strip(),
            "technical_committee": row.technical_committee.strip(),
        }
        changed = priority.pk is None or any(
            getattr(priority, name) != value for name, value in values.items()
        )
        for name, value in values.items():
            setattr(priority, name, value)
        if changed:
            priority.save()
        else:
            PactPriority.objects.filter(pk=priority.pk).update(rank=rank)


def _save_signatories(pact: LocalPact, signatories: list[SignatoryRow]) -> None:
    existing = {signatory.rank: signatory for signatory in pact.signatories.all()}
    for rank, row in enumerate(signatories, start=1):
        signatory = existing.get(rank) or PactSignatory(pact=pact, rank=rank)
        values = {
            "organisation_id": row.organisation_id,
            "name": "" if row.organisation_id else row.name.strip(),
            "contribution": row.contribution.strip(),
            "amount": row.amount,
        }
        if signatory.pk is None or any(getattr(signatory, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(signatory, name, value)
            signatory.save()
    pact.signatories.filter(rank__gt=len(signatories)).delete()


@transaction.atomic
def save_local_pact(
    pact: LocalPact | None,
    *,
    territory=None,
    title: str,
    diagnostic_summary: str,
    priorities: list[PriorityRow],
    priority_publics: list[str],
    perimeter: list[Territory] | None = None,
    signatories: list[SignatoryRow] | None = None,
    signed_on: date | None = None,
    expected_version: int | None = None,
    is_demo: bool = False,
) -> LocalPact:
    """Create or update a pacte local des solidarités: its perimeter (None: unchanged; empty: the whole
    territory), its 1 to 3 priorities (ranked in the given order), its priority publics and its signatories
    (None: unchanged). A signed pact does not change any more."""
    errors = Errors()
    if pact is not None:
        pact = LocalPact.objects.select_for_update().select_related("territory").get(pk=pact.pk)
        if pact.signed_on is not None:
            raise ValidationError({"signed_on": SIGNED})
        territory = pact.territory
    elif territory is not None and territory.level != Level.DEPARTEMENT and not territory.is_metropole:
        errors.add(
            "territory", "Un pacte local des solidarités est conclu pour un département ou une métropole."
        )
    if not title.strip():
        errors.add("title", "Ce champ est obligatoire.")
    if not diagnostic_summary.strip():
        errors.add("diagnostic_summary", "Résumez le diagnostic territorial.")
    _check_priorities(errors, pact, priorities)
    _check_publics(errors, "priority_publics", priority_publics, what="du pacte")
    if territory is not None and perimeter:
        _check_perimeter(errors, territory, perimeter)
    if territory is not None and signatories:
        _check_signatories(errors, territory, signatories)
    if signed_on is not None and signed_on > timezone.localdate():
        errors.add("signed_on", "La date de signature ne peut pas être dans le futur.")
    errors.raise_if_any()
    if pact is None:
        pact = LocalPact(territory=territory, is_demo=is_demo)
    else:
        claim_version(pact, expected_version)
    pact.title, pact.diagnostic_summary = title.strip(), diagnostic_summary.strip()
    pact.priority_publics = [public.value for public in PriorityPublic if public.value in priority_publics]
    pact.signed_on = signed_on
    pact.save()
    if perimeter is not None:
        pact.perimeter.set(perimeter)
    if signatories is not None:
        _save_signatories(pact, signatories)
    _save_priorities(pact, priorities)
    return pact


# --- The regional envelopes -------------------------------------------------------------------------------


def shared_total(envelope: PactEnvelope) -> Decimal:
    return envelope.allocations.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@transaction.atomic
def save_pact_envelope(
    envelope: PactEnvelope | None,
    *,
    region: Territory | None = None,
    year: int | None = None,
    amount: Decimal,
    reference: str = "",
    by=None,
    expected_version: int | None = None,
    is_demo: bool = False,
) -> PactEnvelope:
    """Enter (national steering) a région's envelope for the pactes locaux of a year, or change its amount. The
    amount is the one notified: the platform never computes it."""
    errors = Errors()
    if envelope is None:
        if region is None or region.level != Level.REGION:
            errors.add("region", "Une enveloppe des pactes locaux est attribuée à une région.")
        if year is None or not PERIOD_START <= year <= PERIOD_END:
            errors.add(
                "year",
                f"L'année doit être comprise entre {PERIOD_START} et {PERIOD_END}.",
            )
        elif region is not None and PactEnvelope.objects.filter(region=region, year=year).exists():
            errors.add(
                "year", f"L'enveloppe {year} de la région {region.name} est déjà saisie : modifiez-la."
            )
    else:
        envelope = PactEnvelope.objects.select_for_update().select_related("region").get(pk=envelope.pk)
    if amount is None or amount <= 0:
        errors.add("amount", "Le montant de l'enveloppe régionale doit être supérieur à 0 €.")
    elif envelope is not None and amount < (shared := shared_total(envelope)):
        errors.add(
            "amount",
            f"Le montant de l'enveloppe régionale ne peut pas être inférieur à ce que le commissaire a déjà "
            f"réparti ({formatting.euros(shared)}).",
        )
    errors.raise_if_any()
    if envelope is None:
        envelope = PactEnvelope(region=region, year=year, entered_by=by, is_demo=is_demo)
    else:
        claim_version(envelope, expected_version)
    envelope.amount, envelope.reference = amount, reference.strip()
    if by is not None:
        envelope.entered_by = by
    envelope.save()
    return envelope


def departements_of(region: Territory):
    return Territory.objects.active().filter(level=Level.DEPARTEMENT, region=region).order_by("code")


def pacts_of_q(departement, prefix: str = "") -> Q:
    """The pacts a département's share funds: its own and those of the métropoles inside it."""
    return Q(**{f"{prefix}territory": departement}) | Q(**{f"{prefix}territory__departement": departement})


def committed_by_actions(departement, year: int, *, excluding: int | None = None) -> Decimal:
    """The credits of the pactes locaux the collected actions of a département's pacts use in `year`."""
    actions = PactAction.objects.filter(pacts_of_q(departement, "pact__"), year=year)
    if excluding is not None:
        actions = actions.exclude(pk=excluding)
    return actions.aggregate(total=Sum("state_amount"))["total"] or Decimal(0)


@transaction.atomic
def share_pact_envelope(
    envelope: PactEnvelope,
    amounts: dict[int, Decimal | None],
    *,
    by=None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> PactEnvelope:
    """The commissioner's split of the regional envelope: `amounts` maps a département id to its share (None or
    0: no share). The shares add up to the envelope at most; a département's share never falls below what
    its pacts' collected actions already use that year. Errors are on `amount_<code>` (a département) or
    `amounts` (the total)."""
    envelope = PactEnvelope.objects.select_for_update().select_related("region").get(pk=envelope.pk)
    departements = {departement.pk: departement for departement in departements_of(envelope.region)}
    errors = Errors()
    for departement_id in amounts:
        if departement_id not in departements:
            errors.add("amounts", f"Ce département n'est pas de la région {envelope.region.name}.")
    total = Decimal(0)
    for departement in departements.values():
        amount = amounts.get(departement.pk) or Decimal(0)
        path = f"amount_{departement.code}"
        if amount < 0:
            errors.add(path, f"{departement.name} : la part ne peut pas être négative.")
            continue
        total += amount
        used = committed_by_actions(departement, envelope.year)
        if amount < used:
            errors.add(
                path,
                f"{departement.name} : les actions de ses pactes locaux utilisent déjà {formatting.euros(used)} "
                f"en {envelope.year} ; sa part ne peut pas être inférieure.",
            )
    if total > envelope.amount:
        errors.add(
            "amounts",
            f"La répartition ({formatting.euros(total)}) dépasse l'enveloppe régionale "
            f"({formatting.euros(envelope.amount)}) de {formatting.euros(total - envelope.amount)}.",
        )
    errors.raise_if_any()
    claim_version(envelope, expected_version)
    existing = {allocation.departement_id: allocation for allocation in envelope.allocations.all()}
    for departement in departements.values():
        amount = amounts.get(departement.pk) or Decimal(0)
        allocation = existing.get(departement.pk)
        if not amount:
            if allocation is not None:
                allocation.delete()
        elif allocation is None:
            PactAllocation.objects.create(envelope=envelope, departement=departement, amount=amount)
        elif allocation.amount != amount:
            allocation.amount = amount
            allocation.save()
    envelope.shared_by, envelope.shared_at = by, now or timezone.now()
    envelope.save(update_fields=["shared_by", "shared_at"])
    return envelope


def allocation_of(departement, year: int, *, lock: bool = False) -> PactAllocation | None:
    """The share of `year`'s regional envelope given to `departement`, if any."""
    rows = PactAllocation.objects.filter(departement=departement, envelope__year=year)
    if lock:
        rows = rows.select_for_update()
    return rows.first()


# --- The collected actions ----------------------------------------------------------------------------------


@dataclass
class PactActionData:
    priority_id: int | None
    title: str
    description: str
    carrier: str
    publics: list[str]
    year: int | None
    state_amount: Decimal | None = Decimal(0)
    other_publics: str = ""
    other_funding: Decimal | None = Decimal(0)
    status: str = PactActionStatus.PLANNED
    people_reached: int | None = None
    follow_up: str = ""


def _check_action(errors: Errors, pact: LocalPact, data: PactActionData, action: PactAction | None) -> None:
    if data.priority_id is None or not pact.priorities.filter(pk=data.priority_id).exists():
        errors.add("priority", "Choisissez une des priorités du pacte.")
    for name, label in (
        ("title", "son intitulé"),
        ("description", "sa description"),
        ("carrier", "son porteur"),
    ):
        if not getattr(data, name).strip():
            errors.add(name, f"Indiquez {label}.")
    _check_publics(errors, "publics", data.publics, other=data.other_publics, what="que l'action vise")
    if data.status not in PactActionStatus.values:
        errors.add("status", "État inconnu.")
    elif data.status == PactActionStatus.DONE and data.people_reached is None:
        errors.add("people_reached", "Une action réalisée indique le nombre de personnes touchées.")
    elif data.status == PactActionStatus.ABANDONED and not data.follow_up.strip():
        errors.add("follow_up", "Indiquez dans le suivi pourquoi l'action est abandonnée.")
    if data.people_reached is not None and data.people_reached < 0:
        errors.add("people_reached", "Le nombre de personnes touchées ne peut pas être négatif.")
    if data.other_funding is not None and data.other_funding < 0:
        errors.add("other_funding", "Les autres financements ne peuvent pas être négatifs.")
    if data.year is None or data.year not in pact.years:
        errors.add(
            "year", f"L'année des crédits est comprise entre {pact.period_start} et {pact.period_end}."
        )
        return
    amount = data.state_amount or Decimal(0)
    if amount < 0:
        errors.add("state_amount", "Les crédits des pactes locaux ne peuvent pas être négatifs.")
        return
    if not amount:
        return
    departement = pact.departement
    if departement is None:
        errors.add(
            "state_amount", f"{pact.territory.name} n'est rattaché à aucun département : pas de crédits."
        )
        return
    allocation = allocation_of(departement, data.year, lock=True)
    if allocation is None:
        errors.add(
            "state_amount",
            f"Aucune part de l'enveloppe régionale {data.year} des pactes locaux n'est attribuée à "
            f"{departement.name} : les crédits des pactes locaux de cette action restent à 0 € tant que le "
            "commissaire n'a pas réparti l'enveloppe.",
        )
        return
    used = committed_by_actions(departement, data.year, excluding=action.pk if action else None)
    if used + amount > allocation.amount:
        errors.add(
            "state_amount",
            f"Les crédits des pactes locaux de {departement.name} en {data.year} ({formatting.euros(allocation.amount)}) "
            f"sont déjà utilisés à hauteur de {formatting.euros(used)} : cette action peut en recevoir au plus "
            f"{formatting.euros(max(allocation.amount - used, Decimal(0)))}.",
        )


@transaction.atomic
def save_pact_action(
    action: PactAction | None,
    *,
    pact: LocalPact,
    data: PactActionData,
    by=None,
    expected_version: int | None = None,
    is_demo: bool = False,
) -> PactAction:
    """Record an action carried out under a priority of `pact` (a new one when `action` is None) or update it
    and its follow-up, before or after the pact's signature."""
    pact = LocalPact.objects.select_related("territory__departement", "territory__region").get(pk=pact.pk)
    if action is not None:
        action = PactAction.objects.select_for_update().get(pk=action.pk, pact=pact)
    errors = Errors()
    _check_action(errors, pact, data, action)
    errors.raise_if_any()
    if action is None:
        number = (pact.actions.aggregate(last=Max("number"))["last"] or 0) + 1
        action = PactAction(pact=pact, number=number, is_demo=is_demo)
    else:
        claim_version(action, expected_version)
    action.priority_id = data.priority_id
    action.title, action.description, action.carrier = (
        data.title.strip(),
        data.description.strip(),
        data.carrier.strip(),
    )
    action.publics = [public.value for public in PriorityPublic if public.value in data.publics]
    action.other_publics = data.other_publics.strip()
    action.year, action.state_amount = data.year, data.state_amount or Decimal(0)
    action.other_funding = data.other_funding or Decimal(0)
    action.status, action.people_reached, action.follow_up = (
        data.status,
        data.people_reached,
        data.follow_up.strip(),
    )
    action.updated_by = by
    action.save()
    return action
