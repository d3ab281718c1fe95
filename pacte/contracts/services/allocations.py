"""Notified ceilings: the State's annual allocation of each signing collectivité per envelope, entered by national
steering (one by one or from a CSV file), and the rule that a convention's yearly State total per envelope does
not exceed it.

The contracts are financed « sur quatre ans dans le cadre de montants annuels plafonds constants » (FAQ « Pactes et
contrats locaux des solidarités », ministère des Solidarités, https://solidarites.gouv.fr/node/2143, grade A, the
end of the sentence is not readable in the stored copy). Who notifies the allocations and how is not published: the
platform gives it to national steering; the collectivité never types its ceiling.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from pacte import formatting
from pacte.contracts import kinds
from pacte.contracts.enums import (
    EDITABLE_STATUSES,
    PERIOD_END,
    PERIOD_START,
    ContractStatus,
    Envelope,
    Funder,
)
from pacte.contracts.models import BudgetLine, Contract, NotifiedAllocation
from pacte.contracts.services.common import reset_validations
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.territories.collectivites import collectivite_for
from pacte.territories.enums import Level, SignatoryFamily
from pacte.territories.models import Collectivite, Territory

ZERO = Decimal("0")
MAX_IMPORT_BYTES = 2 * 1024 * 1024
# Lines of one import (setting ALLOCATIONS_IMPORT_MAX_ROWS): a ceiling per signing collectivité (about 125),
# envelope and year fits many times over; each line is checked against the database.
DEFAULT_MAX_IMPORT_ROWS = 5_000
CSV_COLUMNS = ("territoire", "enveloppe", "annee", "montant", "notifie_le", "reference")
REQUIRED_COLUMNS = ("territoire", "enveloppe", "annee", "montant", "notifie_le")
_ENVELOPES_BY_FAMILY = {
    SignatoryFamily.DEPARTEMENT: (Envelope.SOLIDARITES, Envelope.FRANCE_TRAVAIL),
    SignatoryFamily.METROPOLE: (Envelope.METROPOLES,),
}


def envelopes_for(collectivite: Collectivite) -> tuple[Envelope, ...]:
    """The envelopes a collectivité draws on: solidarités and France Travail for a département-type one, the
    métropoles' envelope for a métropole."""
    return _ENVELOPES_BY_FAMILY[SignatoryFamily(collectivite.family)]


# --- Reads the rule and the pages share --------------------------------------------------------------------


def contract_ceilings(contract: Contract) -> dict[tuple[str, int], Decimal]:
    """The notified allocations of the convention's collectivité for the kind's envelopes, by (envelope, year)."""
    if not contract.collectivite_id:
        return {}
    rows = NotifiedAllocation.objects.filter(
        collectivite_id=contract.collectivite_id, envelope__in=kinds.envelopes_of(contract.kind)
    ).values_list("envelope", "year", "amount")
    return {(envelope, year): amount for envelope, year, amount in rows}


def notified_ceiling(contract: Contract, year: int, envelope: str | None = None) -> Decimal | None:
    """The notified ceiling of a convention for one year (and one envelope; all its envelopes when None). None when
    nothing was notified (shown « non notifié »)."""
    ceilings = contract_ceilings(contract)
    wanted = [envelope] if envelope else list(kinds.envelopes_of(contract.kind))
    found = [ceilings[(name, year)] for name in wanted if (name, year) in ceilings]
    return sum(found, ZERO) if found else None


def state_totals(contract: Contract) -> dict[tuple[str, int], Decimal]:
    """The State amounts of the version's fiches-actions, by (envelope, year); the envelope follows from the kind
    and each action's axis (`kinds.envelope_of`)."""
    rows = (
        BudgetLine.objects.filter(action__contract=contract, funder=Funder.STATE)
        .values_list("year", "action__axis__number")
        .annotate(total=Sum("amount"))
    )
    totals: dict[tuple[str, int], Decimal] = {}
    for year, axis_number, total in rows:
        key = (kinds.envelope_of(contract.kind, axis_number), year)
        totals[key] = totals.get(key, ZERO) + (total or ZERO)
    return totals


@dataclass
class CeilingRow:
    """One envelope and year of a convention: the State amount asked and the notified ceiling (None: not notified)."""

    envelope: str
    year: int
    state: Decimal
    ceiling: Decimal | None

    @property
    def envelope_label(self) -> str:
        return Envelope(self.envelope).label

    @property
    def exceeds(self) -> bool:
        return self.state > (self.ceiling if self.ceiling is not None else ZERO)

    @property
    def available(self) -> Decimal | None:
        return None if self.ceiling is None else self.ceiling - self.state


def ceiling_rows(contract: Contract) -> list[CeilingRow]:
    """Every envelope × year of the convention's period, with its State amount and its notified ceiling."""
    ceilings, totals = contract_ceilings(contract), state_totals(contract)
    return [
        CeilingRow(envelope, year, totals.get((envelope, year), ZERO), ceilings.get((envelope, year)))
        for envelope in kinds.envelopes_of(contract.kind)
        for year in contract.years
    ]


def ceiling_problems(contract: Contract) -> list[tuple[str, str]]:
    """(path, French message) for each envelope and year whose State amount exceeds the notified ceiling, or asks
    State credits where nothing was notified. Used by the validation and the compliance page."""
    problems = []
    for row in ceiling_rows(contract):
        if not row.exceeds:
            continue
        if row.ceiling is None:
            message = (
                f"En {row.year}, {formatting.euros(row.state)} de crédits de l'État sont demandés sur l'enveloppe "
                f"« {row.envelope_label} », dont le plafond n'a pas encore été notifié par le pilotage national."
            )
        else:
            message = (
                f"En {row.year}, les crédits de l'État demandés sur l'enveloppe « {row.envelope_label} » "
                f"({formatting.euros(row.state)}) dépassent le plafond notifié ({formatting.euros(row.ceiling)})."
            )
        problems.append((f"ceilings.{row.envelope}.{row.year}", message))
    return problems


# --- Notification --------------------------------------------------------------------------------------------


def _check(
    errors: Errors, collectivite: Collectivite, envelope: str, year, amount, notified_on, prefix: str = ""
) -> None:
    if envelope not in Envelope.values:
        errors.add(f"{prefix}envelope", f"Enveloppe inconnue : « {envelope} ».")
    elif Envelope(envelope) not in envelopes_for(collectivite):
        allowed = ", ".join(f"« {Envelope(name).label} »" for name in envelopes_for(collectivite))
        errors.add(
            f"{prefix}envelope",
            f"{collectivite.name} ({collectivite.family_label.lower()}) reçoit ses crédits sur : {allowed}.",
        )
    if year is None or not PERIOD_START <= year <= PERIOD_END:
        errors.add(f"{prefix}year", f"L'année doit être comprise entre {PERIOD_START} et {PERIOD_END}.")
    if amount is None or amount < 0:
        errors.add(f"{prefix}amount", "Le montant notifié ne peut pas être négatif.")
    if notified_on is None:
        errors.add(f"{prefix}notified_on", "Indiquez la date de la notification.")
    elif notified_on > timezone.localdate():
        errors.add(f"{prefix}notified_on", "La date de la notification ne peut pas être dans le futur.")


def _signed_above(collectivite: Collectivite, envelope: str, year: int, amount: Decimal) -> str | None:
    """A signed version in force that already asks more State credits than `amount`: the ceiling cannot go below."""
    for contract in Contract.objects.filter(collectivite=collectivite, status=ContractStatus.SIGNED):
        if Envelope(envelope) not in kinds.envelopes_of(contract.kind):
            continue
        asked = state_totals(contract).get((envelope, year), ZERO)
        if asked > amount:
            return (
                f"La convention signée « {contract} » prévoit déjà {formatting.euros(asked)} de crédits de l'État "
                f"en {year} sur cette enveloppe : le plafond ne peut pas être inférieur."
            )
    return None


def _reset_open_contracts(collectivite: Collectivite, envelope: str) -> None:
    """A changed ceiling is no longer the one the parties validated (docs/contrats.md, « Cycle de vie »)."""
    for contract in Contract.objects.filter(collectivite=collectivite, status__in=EDITABLE_STATUSES):
        if Envelope(envelope) in kinds.envelopes_of(contract.kind):
            reset_validations(contract)


@transaction.atomic
def notify_allocation(
    collectivite: Collectivite,
    envelope: str,
    year: int,
    *,
    amount: Decimal,
    notified_on: date,
    user=None,
    reference: str = "",
    is_demo: bool = False,
    expected_version: int | None = None,
) -> NotifiedAllocation:
    """Record (or correct) the allocation notified to a collectivité for one envelope and year."""
    errors = Errors()
    _check(errors, collectivite, envelope, year, amount, notified_on)
    errors.raise_if_any()
    above = _signed_above(collectivite, envelope, year, amount)
    if above:
        errors.add("amount", above)
    errors.raise_if_any()
    allocation = (
        NotifiedAllocation.objects.select_for_update()
        .filter(collectivite=collectivite, envelope=envelope, year=year)
        .first()
    )
    if allocation is None:
        allocation = NotifiedAllocation(collectivite=collectivite, envelope=envelope, year=year)
    else:
        claim_version(allocation, expected_version)
    changed = allocation.pk is None or allocation.amount != amount
    allocation.amount, allocation.notified_on = amount, notified_on
    allocation.notified_by = user if user is not None and user.is_authenticated else None
    allocation.reference = (reference or "").strip()
    allocation.is_demo = is_demo
    allocation.save()
    if changed:
        _reset_open_contracts(collectivite, envelope)
    return allocation


# --- CSV import ----------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    allocations: list[NotifiedAllocation] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"{formatting.plural(self.created, 'plafond créé', 'plafonds créés')}, "
            f"{formatting.plural(self.updated, 'plafond modifié', 'plafonds modifiés')}, "
            f"{formatting.plural(self.unchanged, 'plafond inchangé', 'plafonds inchangés')}."
        )


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": "Le fichier doit être un CSV encodé en UTF-8."})  # pragma: no cover


def _read_rows(text: str, delimiter: str) -> list[list[str]]:
    """The rows of the CSV text; a line the csv module cannot read (a cell over its field limit, mostly) or
    a file over the row limit is refused in French, naming the line or the limit."""
    limit = getattr(settings, "ALLOCATIONS_IMPORT_MAX_ROWS", DEFAULT_MAX_IMPORT_ROWS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if len(rows) > limit:  # the header and `limit` lines of ceilings
                raise ValidationError(
                    {
                        "file": f"Le fichier compte plus de {formatting.number(limit)} lignes de plafonds : la "
                        f"limite est de {formatting.number(limit)} lignes par import. Découpez-le."
                    }
                )
            rows.append(row)
    except csv.Error as error:
        if "field limit" in str(error):
            reason = (
                f"une cellule dépasse {formatting.number(csv.field_size_limit())} caractères, la limite d'une "
                "cellule CSV (un guillemet non fermé réunit les lignes suivantes en une seule cellule)"
            )
        else:
            reason = f"ligne CSV illisible ({error})"
        raise ValidationError({"file": f"Ligne {reader.line_num} : {reason}."}) from None
    return rows


def _parse_amount(text: str) -> Decimal | None:
    cleaned = (
        text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "").replace(",", ".")
    )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value == round(value, 2) else None


def _parse_date(text: str) -> date | None:
    text = text.strip()
    for parse in (
        date.fromisoformat,
        lambda value: date(*reversed([int(part) for part in value.split("/")])),
    ):
        try:
            return parse(text)
        except (ValueError, TypeError):
            continue
    return None


def _find_territory(code: str) -> Territory | None:
    code = code.strip().upper()
    return (
        Territory.objects.filter(Q(level=Level.DEPARTEMENT) | Q(level=Level.EPCI), code=code, is_active=True)
        .order_by("level")
        .first()
    )


FIELD_COLUMNS = {
    "envelope": "enveloppe",
    "year": "annee",
    "amount": "montant",
    "notified_on": "notifie_le",
    "territory": "territoire",
}


def _line_message(line: int, column: str, message: str) -> str:
    return f"Ligne {line}, colonne « {column} » : {message[0].lower()}{message[1:]}"


@transaction.atomic
def import_allocations(data: bytes, *, user=None, is_demo: bool = False) -> ImportReport:
    """Notify the allocations of a CSV file (columns `territoire` — the INSEE code of a département or the SIREN
    of a métropole —, `enveloppe`, `annee`, `montant`, `notifie_le`, `reference`; `;` or `,` separated; amounts
    with a decimal comma or point). All or nothing: every faulty line is reported (« Ligne 4, colonne
    « montant » : … ») and nothing is written."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": "Le fichier dépasse 2 Mo."})
    text = _decode(data)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = _read_rows(text, delimiter)
    if not rows:
        raise ValidationError({"file": "Le fichier est vide."})
    header = [name.strip().lower() for name in rows[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ValidationError(
            {"file": f"Colonnes manquantes : {', '.join(missing)} (attendues : {', '.join(CSV_COLUMNS)})."}
        )
    index = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    messages: list[str] = []
    parsed = []
    seen: dict[tuple[int, str, int], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {
            name: (row[position].strip() if position < len(row) else "") for name, position in index.items()
        }
        line_errors: list[str] = []
        territory = _find_territory(cells["territoire"]) if cells["territoire"] else None
        collectivite = collectivite_for(territory) if territory is not None else None
        if collectivite is None:
            line_errors.append(
                _line_message(
                    line,
                    "territoire",
                    f"aucune collectivité signataire pour « {cells['territoire']} » (code INSEE d'un département "
                    "ou SIREN d'une métropole attendu)",
                )
            )
        year_text = cells["annee"]
        year = int(year_text) if year_text.isdigit() else None
        amount = _parse_amount(cells["montant"]) if cells["montant"] else None
        if cells["montant"] and amount is None:
            line_errors.append(_line_message(line, "montant", f"nombre attendu, « {cells['montant']} » lu"))
        notified_on = _parse_date(cells["notifie_le"]) if cells["notifie_le"] else None
        if cells["notifie_le"] and notified_on is None:
            line_errors.append(
                _line_message(line, "notifie_le", f"date attendue (JJ/MM/AAAA), « {cells['notifie_le']} » lu")
            )
        if collectivite is not None:
            errors = Errors()
            _check(
                errors,
                collectivite,
                cells["enveloppe"],
                year,
                amount if cells["montant"] else None,
                notified_on,
            )
            for path, path_messages in errors.messages.items():
                if path == "amount" and cells["montant"] and amount is None:
                    continue
                if path == "notified_on" and cells["notifie_le"] and notified_on is None:
                    continue
                line_errors.extend(_line_message(line, FIELD_COLUMNS[path], text) for text in path_messages)
            key = (collectivite.pk, cells["enveloppe"], year)
            if not line_errors and key in seen:
                line_errors.append(
                    _line_message(
                        line, "territoire", f"même collectivité, enveloppe et année qu'à la ligne {seen[key]}"
                    )
                )
            seen.setdefault(key, line)
        if not line_errors:
            above = _signed_above(collectivite, cells["enveloppe"], year, amount)
            if above:
                line_errors.append(_line_message(line, "montant", above))
        messages.extend(line_errors)
        if not line_errors:
            parsed.append(
                (collectivite, cells["enveloppe"], year, amount, notified_on, cells.get("reference", ""))
            )
    if messages:
        raise ValidationError({"file": messages})
    if not parsed:
        raise ValidationError({"file": "Le fichier ne contient aucune ligne de plafond."})
    report = ImportReport()
    for collectivite, envelope, year, amount, notified_on, reference in parsed:
        before = NotifiedAllocation.objects.filter(
            collectivite=collectivite, envelope=envelope, year=year
        ).first()
        allocation = notify_allocation(
            collectivite,
            envelope,
            year,
            amount=amount,
            notified_on=notified_on,
            user=user,
            reference=reference,
            is_demo=is_demo,
            expected_version=before.lock_version if before else None,
        )
        if before is None:
            report.created += 1
        elif before.amount != amount or before.notified_on != notified_on or before.reference != reference:
            report.updated += 1
        else:
            report.unchanged += 1
        report.allocations.append(allocation)
    return report
