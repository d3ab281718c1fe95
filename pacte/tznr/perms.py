"""Who may see and do what in the register of the territoires zéro non-recours.

- **Everyone**, signed in or not, reads the register: the territories, their chef de file, partners, actions and
  the source that names them (the arrêté du 4 août 2023 is a public text).
- **The follow-up** (budget, contacts, periods, rights opened, costs) is for national steering (every
  experiment), the commissioner of the experiment's région, the DDETS of its département (or, for an experiment
  spread over several départements, of any of them) and the members of its porteur organisation.
- **The porteur's members** keep the sheet (description, partners, actions, contacts, budget) and declare the
  periods: they draft, import the rights opened, and transmit.
- **The State validates** a transmitted period or sends it back for correction (the décret n° 2023-602: the chef
  de file gives the préfet a yearly « bilan »): the DDETS of the département and the commissioner of the région.
- **Recording an experiment**: national steering and the commissioners (in their région, and they name the
  porteur organisation), and the members of a collectivité, CCAS or association for their own organisation, on
  territories inside their scope.
- **The costs** of the experiments one may follow, and the regional and national comparisons (pooled figures,
  nothing of a single experiment), are for every user with a role who follows at least one experiment, and for
  the State services.
"""

from django.db.models import Q

from pacte.accounts.enums import Role
from pacte.accounts.scope import covers, has_role, is_national
from pacte.tznr.enums import PeriodStatus

PORTEUR_ROLES = (Role.LOCAL_AUTHORITY, Role.ASSOCIATION, Role.SOCIAL_WORKER)
STATE_ROLES = (Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER, Role.DDETS)


def is_porteur_member(user, experiment) -> bool:
    return (
        has_role(user, *PORTEUR_ROLES)
        and user.organisation_id is not None
        and user.organisation_id == experiment.porteur_id
    )


def is_commissioner_of(user, experiment) -> bool:
    return has_role(user, Role.REGIONAL_COMMISSIONER) and covers(user, experiment.region)


def is_ddets_of(user, experiment) -> bool:
    """The DDETS of the experiment's département; for an experiment over several départements, of any of them
    (reads the prefetched territories)."""
    if not (has_role(user, Role.DDETS) and user.territory_id):
        return False
    if experiment.departement_id is not None:
        return experiment.departement_id == user.territory_id
    return any(
        user.territory_id in (t.pk, t.departement_id, t.parent_id) for t in experiment.territories.all()
    )


def visible_experiments_q(user) -> Q:
    """The experiments whose follow-up `user` may read (a filter on Experiment)."""
    if not (user.is_authenticated and user.is_active and user.role):
        return Q(pk__in=[])
    if is_national(user):
        return Q()
    if user.role == Role.REGIONAL_COMMISSIONER and user.territory_id:
        return Q(region_id=user.territory_id)
    if user.role == Role.DDETS and user.territory_id:
        dept = user.territory_id
        return Q(departement_id=dept) | Q(
            departement__isnull=True, territories__in=_territories_of_departement(dept)
        )
    if user.role in PORTEUR_ROLES and user.organisation_id:
        return Q(porteur_id=user.organisation_id)
    return Q(pk__in=[])


def _territories_of_departement(dept_pk: int):
    from pacte.territories.models import Territory

    return Territory.objects.filter(Q(pk=dept_pk) | Q(departement_id=dept_pk) | Q(parent_id=dept_pk)).values(
        "pk"
    )


def can_view_register(user) -> bool:
    """Everyone: the register is public."""
    return True


def can_follow(user, experiment) -> bool:
    """Budget, contacts, periods, rights opened and costs of the experiment."""
    return (
        is_national(user)
        or is_commissioner_of(user, experiment)
        or is_ddets_of(user, experiment)
        or is_porteur_member(user, experiment)
    )


def can_create_experiment(user) -> bool:
    """National steering, the commissioners, and members of a collectivité, CCAS or association."""
    if is_national(user):
        return True
    if has_role(user, Role.REGIONAL_COMMISSIONER):
        return bool(user.territory_id)
    return (
        has_role(user, *PORTEUR_ROLES) and user.organisation_id is not None and user.territory_id is not None
    )


def can_name_porteur(user, experiment=None) -> bool:
    """Choosing the porteur organisation: national steering, the commissioner of the région."""
    if is_national(user):
        return True
    if experiment is None:
        return has_role(user, Role.REGIONAL_COMMISSIONER)
    return is_commissioner_of(user, experiment)


def can_place_in(user, territory) -> bool:
    """A territory that an experiment recorded by `user` may cover."""
    if is_national(user):
        return True
    return has_role(user, Role.REGIONAL_COMMISSIONER, *PORTEUR_ROLES) and covers(user, territory)


def can_change_experiment(user, experiment) -> bool:
    """The sheet: national steering, the commissioner of the région, the porteur's members."""
    return is_national(user) or is_commissioner_of(user, experiment) or is_porteur_member(user, experiment)


def can_declare(user, experiment) -> bool:
    """Opening a period: the porteur's members."""
    return is_porteur_member(user, experiment)


def can_edit_period(user, period) -> bool:
    """Changing a period, importing its rights, transmitting it: the porteur's members, while in draft or sent
    back."""
    return period.is_editable and is_porteur_member(user, period.experiment)


def can_review_period(user, period) -> bool:
    """Validating or sending back a transmitted period: the DDETS of the département, the commissioner of the
    région."""
    return period.status == PeriodStatus.SUBMITTED and (
        is_ddets_of(user, period.experiment) or is_commissioner_of(user, period.experiment)
    )


def can_view_costs(user) -> bool:
    """The page of costs and comparisons: the State services and the porteurs (each sees the experiments it
    follows, and the pooled figures of its région and of France)."""
    return has_role(user, *STATE_ROLES) or (
        has_role(user, *PORTEUR_ROLES) and user.organisation_id is not None
    )
