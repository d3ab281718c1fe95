"""State changes of the register of the territoires zéro non-recours: one transaction each, French errors per
field (`pacte.core.errors.Errors`), optimistic locking on the experiment and the period
(`pacte.core.locking.claim_version`); the rules of who may act are in `perms`, checked here again."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pacte.accounts.scope import has_role
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.territories.enums import Level
from pacte.tznr import notifications, perms
from pacte.tznr.enums import (
    ExperimentStatus,
    FunderKind,
    LeadKind,
    OpenedBenefit,
    OutreachKind,
    PeriodStatus,
    RightSource,
)
from pacte.tznr.models import Contact, Experiment, FollowUpPeriod, Funding, OpenedRight, OutreachAction

EXPERIMENT_FIELDS = (
    "name",
    "lead_name",
    "lead_kind",
    "operational_lead",
    "partners",
    "description",
    "start_date",
    "end_date",
    "status",
)


DATE_FIELDS = ("start_date", "end_date", "start", "end")


def _strip(value):
    """A text without its surrounding spaces; any other value (a date, None) as it is."""
    return value.strip() if isinstance(value, str) else value


def _clean(name: str, value):
    """The value of a field as stored: a date or None for a date field, a stripped text (never None) for a text
    field, the value itself otherwise."""
    if name in DATE_FIELDS or not (value is None or isinstance(value, str)):
        return value
    return (value or "").strip()


def place(territories) -> tuple[object | None, object | None, str | None]:
    """(région, département, problem) of a list of COG territories: the région they all lie in, the département
    when they all lie in one, or why they cannot make one experiment."""
    territories = list(territories)
    if not territories:
        return None, None, "Choisissez au moins un territoire couvert."
    regions = set()
    departements = set()
    for territory in territories:
        if territory.level in (Level.REGION, Level.COM):
            regions.add(territory)
            departements.add(None)
            continue
        regions.add(territory.region)
        departements.add(territory if territory.level == Level.DEPARTEMENT else territory.departement)
    if None in regions or len(regions) != 1:
        return None, None, "Les territoires couverts doivent tous se trouver dans la même région."
    departement = departements.pop() if len(departements) == 1 else None
    return regions.pop(), departement, None


def _check_experiment(errors: Errors, data: dict) -> None:
    if not _strip(data.get("name")):
        errors.add("name", "Indiquez le nom du territoire.")
    if not _strip(data.get("lead_name")):
        errors.add("lead_name", "Indiquez le chef de file (collectivité ou EPCI).")
    if data.get("lead_kind") not in LeadKind.values:
        errors.add("lead_kind", "Choisissez le type de porteur.")
    if data.get("status", ExperimentStatus.RUNNING) not in ExperimentStatus.values:
        errors.add("status", "Choisissez un statut.")
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        errors.add("end_date", "La fin doit suivre le début.")


@transaction.atomic
def create_experiment(user, data: dict, territories, *, porteur=None, is_demo: bool = False) -> Experiment:
    """Record an experiment. A porteur's member records it for its own organisation; national steering and the
    commissioner may name the porteur organisation (or leave it empty)."""
    if not perms.can_create_experiment(user):
        raise PermissionDenied
    errors = Errors()
    _check_experiment(errors, data)
    territories = list(territories)
    region, departement, problem = place(territories)
    if problem:
        errors.add("territories", problem)
    outside = [t.name for t in territories if not perms.can_place_in(user, t)]
    if outside:
        errors.add("territories", f"Hors de votre territoire de compétence : {', '.join(outside)}.")
    if has_role(user, *perms.PORTEUR_ROLES):
        porteur = user.organisation
    elif porteur is not None and region is not None and not _porteur_fits(porteur, region):
        errors.add("porteur", "Le porteur doit être une organisation de la région de l'expérimentation.")
    errors.raise_if_any()
    experiment = Experiment.objects.create(
        **{name: _clean(name, data.get(name)) for name in EXPERIMENT_FIELDS if name in data},
        region=region,
        departement=departement,
        porteur=porteur,
        is_demo=is_demo,
    )
    experiment.territories.set(territories)
    return experiment


def _porteur_fits(organisation, region) -> bool:
    territory = organisation.territory
    if territory is None:
        return False
    return region.contains(territory)


@transaction.atomic
def update_experiment(
    user, experiment: Experiment, data: dict, *, version: int | None, territories=None, porteur=...
) -> Experiment:
    """Change the sheet; `territories` (a list) replaces the territories covered; `porteur` (an organisation or
    None) is changed only by those who may name it."""
    if not perms.can_change_experiment(user, experiment):
        raise PermissionDenied
    errors = Errors()
    merged = {name: getattr(experiment, name) for name in EXPERIMENT_FIELDS} | data
    _check_experiment(errors, merged)
    region, departement = experiment.region, experiment.departement
    if territories is not None:
        territories = list(territories)
        region, departement, problem = place(territories)
        if problem:
            errors.add("territories", problem)
        current = set(experiment.territories.values_list("pk", flat=True))
        outside = [t.name for t in territories if t.pk not in current and not perms.can_place_in(user, t)]
        if outside:
            errors.add("territories", f"Hors de votre territoire de compétence : {', '.join(outside)}.")
    if porteur is not ...:
        if not perms.can_name_porteur(user, experiment):
            errors.add(
                "porteur", "Seuls le pilotage national et le commissaire de la région désignent le porteur."
            )
        elif porteur is not None and region is not None and not _porteur_fits(porteur, region):
            errors.add("porteur", "Le porteur doit être une organisation de la région de l'expérimentation.")
    errors.raise_if_any()
    claim_version(experiment, version)
    for name in EXPERIMENT_FIELDS:
        if name in data:
            setattr(experiment, name, _clean(name, data[name]))
    experiment.region, experiment.departement = region, departement
    if porteur is not ...:
        experiment.porteur = porteur
    experiment.save()
    if territories is not None:
        experiment.territories.set(territories)
    return experiment


# --- Budget, actions, contacts ---------------------------------------------------------------------------------


def _touch(user, experiment: Experiment, version: int | None) -> None:
    if not perms.can_change_experiment(user, experiment):
        raise PermissionDenied
    claim_version(experiment, version)


@transaction.atomic
def add_funding(user, experiment: Experiment, *, funder: str, funder_kind: str, year, amount, version=None):
    errors = Errors()
    if not _strip(funder):
        errors.add("funder", "Indiquez le financeur.")
    if funder_kind not in FunderKind.values:
        errors.add("funder_kind", "Choisissez le type de financeur.")
    if not isinstance(year, int) or not 2023 <= year <= 2030:
        errors.add("year", "Indiquez une année entre 2023 et 2030.")
    if not isinstance(amount, Decimal) or amount < 0:
        errors.add("amount", "Indiquez un montant positif ou nul, en euros.")
    elif Funding.objects.filter(experiment=experiment, funder=_strip(funder), year=year).exists():
        errors.add("year", "Ce financeur a déjà une ligne pour cette année : modifiez-la.")
    errors.raise_if_any()
    _touch(user, experiment, version)
    return Funding.objects.create(
        experiment=experiment, funder=_strip(funder), funder_kind=funder_kind, year=year, amount=amount
    )


@transaction.atomic
def add_action(
    user,
    experiment: Experiment,
    *,
    kind: str,
    title: str,
    description="",
    place="",
    start_date=None,
    version=None,
):
    errors = Errors()
    if kind not in OutreachKind.values:
        errors.add("kind", "Choisissez le type d'action.")
    if not _strip(title):
        errors.add("title", "Indiquez l'intitulé de l'action.")
    errors.raise_if_any()
    _touch(user, experiment, version)
    return OutreachAction.objects.create(
        experiment=experiment,
        kind=kind,
        title=_strip(title),
        description=_strip(description),
        place=_strip(place),
        start_date=start_date,
    )


@transaction.atomic
def add_contact(user, experiment: Experiment, *, name: str, function="", email="", phone="", version=None):
    errors = Errors()
    if not _strip(name):
        errors.add("name", "Indiquez le nom du contact.")
    if not (_strip(email) or _strip(phone)):
        errors.add("email", "Indiquez une adresse électronique ou un téléphone.")
    errors.raise_if_any()
    _touch(user, experiment, version)
    return Contact.objects.create(
        experiment=experiment,
        name=_strip(name),
        function=_strip(function),
        email=_strip(email),
        phone=_strip(phone),
    )


@transaction.atomic
def remove_line(user, line, *, version=None) -> None:
    """Remove a funding, an action or a contact of the sheet."""
    experiment = line.experiment
    _touch(user, experiment, version)
    line.delete()


# --- Periods ---------------------------------------------------------------------------------------------------


def _check_period(errors: Errors, experiment: Experiment, data: dict, *, exclude=None) -> None:
    start, end = data.get("start"), data.get("end")
    if not isinstance(start, date):
        errors.add("start", "Indiquez le premier jour de la période.")
    if not isinstance(end, date):
        errors.add("end", "Indiquez le dernier jour de la période.")
    if isinstance(start, date) and isinstance(end, date):
        if end < start:
            errors.add("end", "Le dernier jour doit suivre le premier.")
        elif end > timezone.localdate():
            errors.add("end", "Une période se déclare une fois terminée : son dernier jour est passé.")
        else:
            overlapping = FollowUpPeriod.objects.filter(experiment=experiment, start__lte=end, end__gte=start)
            if exclude is not None:
                overlapping = overlapping.exclude(pk=exclude.pk)
            other = overlapping.first()
            if other is not None:
                errors.add(
                    "start",
                    f"Cette période chevauche celle du {other.start:%d/%m/%Y} au {other.end:%d/%m/%Y}.",
                )
    for name, label in (("households_met", "ménages rencontrés"), ("rights_examined", "droits examinés")):
        value = data.get(name)
        if not isinstance(value, int) or value < 0:
            errors.add(name, f"Indiquez le nombre de {label} (un entier positif ou nul).")
    spent = data.get("spent")
    if not isinstance(spent, Decimal) or spent < 0:
        errors.add("spent", "Indiquez les dépenses de la période, en euros (positives ou nulles).")


PERIOD_FIELDS = ("start", "end", "households_met", "rights_examined", "spent", "spending_note", "comment")


@transaction.atomic
def open_period(user, experiment: Experiment, data: dict, *, is_demo: bool = False) -> FollowUpPeriod:
    if not perms.can_declare(user, experiment):
        raise PermissionDenied
    errors = Errors()
    _check_period(errors, experiment, data)
    errors.raise_if_any()
    return FollowUpPeriod.objects.create(
        experiment=experiment,
        is_demo=is_demo,
        **{name: _clean(name, data.get(name)) for name in PERIOD_FIELDS},
    )


@transaction.atomic
def update_period(user, period: FollowUpPeriod, data: dict, *, version: int | None) -> FollowUpPeriod:
    if not perms.can_edit_period(user, period):
        raise PermissionDenied
    merged = {name: getattr(period, name) for name in PERIOD_FIELDS} | data
    errors = Errors()
    _check_period(errors, period.experiment, merged, exclude=period)
    errors.raise_if_any()
    claim_version(period, version)
    for name in PERIOD_FIELDS:
        if name in data:
            setattr(period, name, _clean(name, data[name]))
    period.save()
    return period


def check_right(benefit, source, count, monthly_amount) -> dict[str, str]:
    """The problems of one line of rights opened, by field (shared by the form and the file import)."""
    problems = {}
    if benefit not in OpenedBenefit.values:
        problems["benefit"] = "prestation inconnue (" + ", ".join(OpenedBenefit.values) + ")"
    if source not in RightSource.values:
        problems["source"] = "« porteur » ou « organisme_payeur » attendu"
    if not isinstance(count, int) or count < 0:
        problems["count"] = "nombre entier positif ou nul attendu"
    if monthly_amount is not None and (not isinstance(monthly_amount, Decimal) or monthly_amount < 0):
        problems["monthly_amount"] = "montant positif ou nul attendu"
    return problems


@transaction.atomic
def replace_rights(
    user, period: FollowUpPeriod, rows: list[dict], *, version: int | None
) -> list[OpenedRight]:
    """Replace every line of rights opened of the period (rows of benefit, source, count, monthly_amount), all or
    nothing; two lines may not name the same benefit and source."""
    if not perms.can_edit_period(user, period):
        raise PermissionDenied
    errors = Errors()
    seen = set()
    for position, row in enumerate(rows):
        problems = check_right(
            row.get("benefit"),
            row.get("source", RightSource.LEAD),
            row.get("count"),
            row.get("monthly_amount"),
        )
        for name, text in problems.items():
            errors.add(f"rights.{position}.{name}", text[0].upper() + text[1:] + ".")
        key = (row.get("benefit"), row.get("source", RightSource.LEAD))
        if not problems and key in seen:
            errors.add(
                f"rights.{position}.benefit", "Cette prestation est déjà déclarée pour ce même compteur."
            )
        seen.add(key)
    errors.raise_if_any()
    claim_version(period, version)
    period.rights.all().delete()
    return OpenedRight.objects.bulk_create(
        OpenedRight(
            period=period,
            benefit=row["benefit"],
            source=row.get("source", RightSource.LEAD),
            count=row["count"],
            monthly_amount=row.get("monthly_amount"),
        )
        for row in rows
    )


@transaction.atomic
def submit_period(user, period: FollowUpPeriod, *, version: int | None) -> FollowUpPeriod:
    """The porteur transmits the period to the State."""
    if not perms.can_edit_period(user, period):
        raise PermissionDenied
    claim_version(period, version)
    period.status = PeriodStatus.SUBMITTED
    period.submitted_at = timezone.now()
    period.submitted_by = user
    period.save()
    notifications.period_submitted(period, actor=user)
    return period


@transaction.atomic
def review_period(
    user, period: FollowUpPeriod, *, validate: bool, comment: str = "", version: int | None
) -> FollowUpPeriod:
    """The State validates the period, or sends it back with its observations (required)."""
    if not perms.can_review_period(user, period):
        raise PermissionDenied
    if not validate and not _strip(comment):
        errors = Errors()
        errors.add("review_comment", "Indiquez ce que le porteur doit corriger.")
        errors.raise_if_any()
    claim_version(period, version)
    period.review_comment = _strip(comment)
    if validate:
        period.status = PeriodStatus.VALIDATED
        period.validated_at = timezone.now()
        period.validated_by = user
    else:
        period.status = PeriodStatus.RETURNED
    period.save()
    notifications.period_reviewed(period, actor=user)
    return period
