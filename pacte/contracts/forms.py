"""Forms of the contract pages: contracts and their workflow, fiches-actions (with their indicators and budget
grid), negotiation comments and local pacts.

Forms only check what a browser may get wrong (a number that is not one, a missing date); the rules live in
`services`. `ActionEditor` turns the three parts of a fiche-action into `services.ActionData` and puts the
errors raised by the services back on the right field, indicator row or budget cell.
"""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from dsfr.utils import dsfr_input_class_attr

from pacte.accounts.models import Organisation
from pacte.accounts.scope import territory_q
from pacte.contracts import perms, services
from pacte.contracts.enums import (
    PERIOD_START,
    ActionNature,
    ContractStatus,
    Funder,
    IndicatorUnit,
    Reinforcement,
)
from pacte.contracts.models import Action, Contract, LocalPact, PactPriority
from pacte.core.forms import AmountField, AxisField, PacteForm, territory_choice_label
from pacte.programme.enums import TargetKind
from pacte.programme.models import Axis, Measure, Target
from pacte.territories.enums import METROPOLE_TYPES, Level
from pacte.territories.models import Territory

KINDS = [("departement", "Département"), ("metropole", "Métropole")]


# --- Contracts -------------------------------------------------------------------------------------------


def creatable_territories(user, *, for_pact: bool = False) -> list[Territory]:
    """The départements and métropoles without a contract (or, `for_pact`, without a local pact) yet for which
    `user` may create one (`perms.can_create_contract`)."""
    if not user.is_authenticated:
        return []
    candidates = (
        Territory.objects.active()
        .filter(territory_q(user))
        .filter(Q(level=Level.DEPARTEMENT) | Q(level=Level.EPCI, epci_type__in=METROPOLE_TYPES))
        .select_related("departement")
        .order_by("name")
    )
    if for_pact:
        candidates = candidates.exclude(local_pacts__period_start=PERIOD_START)
    else:
        candidates = candidates.exclude(contracts__amendment_number=0, contracts__period_start=PERIOD_START)
    return [territory for territory in candidates if perms.can_create_contract(user, territory)]


class TerritoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return territory_choice_label(obj)


class ContractCreateForm(PacteForm):
    territory = TerritoryChoiceField(label="Collectivité signataire", queryset=Territory.objects.none())
    annual_state_ceiling = AmountField(
        label="Plafond annuel des crédits de l'État (€)",
        required=True,
        help_text="Le montant maximal des crédits de l'État par année, par exemple 1 200 000",
    )
    title = forms.CharField(
        label="Intitulé",
        max_length=250,
        required=False,
        help_text="Laissez vide pour « Contrat local des solidarités 2024-2027 – nom de la collectivité »",
    )

    def __init__(self, *args, territories: list[Territory], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.filter(pk__in=[t.pk for t in territories])
        if len(territories) == 1:
            self.fields["territory"].initial = territories[0].pk


class ContractEditForm(PacteForm):
    """Title (the collectivité) and annual ceiling (the State side); the part the user may not change is
    shown disabled."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="Intitulé", max_length=250)
    annual_state_ceiling = AmountField(label="Plafond annuel des crédits de l'État (€)", required=True)

    def __init__(self, *args, contract: Contract, may_edit_title: bool, may_edit_ceiling: bool, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "lock_version": contract.lock_version,
                "title": contract.title,
                "annual_state_ceiling": contract.annual_state_ceiling,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["title"].disabled = not may_edit_title
        self.fields["annual_state_ceiling"].disabled = not may_edit_ceiling

    def changes(self) -> dict:
        """Only the fields the user may change."""
        return {
            name: self.cleaned_data[name]
            for name in ("title", "annual_state_ceiling")
            if not self.fields[name].disabled
        }


class ContractFilterForm(PacteForm):
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Territory.objects.filter(level=Level.REGION).order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="Toutes les régions",
    )
    status = forms.ChoiceField(
        label="Statut", choices=[("", "Tous les statuts"), *ContractStatus.choices], required=False
    )
    kind = forms.ChoiceField(label="Collectivité", choices=[("", "Toutes"), *KINDS], required=False)
    versions = forms.ChoiceField(
        label="Versions",
        choices=[("", "Version la plus récente"), ("toutes", "Toutes les versions et avenants")],
        required=False,
    )

    def filters(self) -> dict:
        """The valid filters; a wrong value in the address is ignored rather than refused."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}


class CommentForm(PacteForm):
    body = forms.CharField(label="Votre commentaire", widget=forms.Textarea(attrs={"rows": 4}))
    action = forms.TypedChoiceField(
        label="Fiche-action concernée", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Le contrat dans son ensemble")] + [
            (number, f"Fiche-action n°{number} – {title}")
            for number, title in contract.actions.order_by("number").values_list("number", "title")
        ]


class LockForm(PacteForm):
    """Carries the `lock_version` a page was opened with (optimistic locking)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class SignForm(PacteForm):
    signed_on = forms.DateField(
        label="Date de signature",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    state_signatory = forms.CharField(
        label="Signataire pour l'État",
        max_length=200,
        help_text="Nom et qualité, par exemple « Mme X, préfète »",
    )
    local_signatory = forms.CharField(
        label="Signataire pour la collectivité",
        max_length=200,
        help_text="Nom et qualité, par exemple « M. Y, président du conseil départemental »",
    )


class AmendmentForm(PacteForm):
    reason = forms.CharField(
        label="Objet de l'avenant",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que l'avenant change et pourquoi (nouvelle fiche-action, budget revu…)",
    )


# --- Fiches-actions ---------------------------------------------------------------------------------------


class MeasuresField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"Axe {obj.axis.number} – {obj.title}"


class ActionForm(PacteForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="Intitulé", max_length=250)
    axis = AxisField(label="Axe du Pacte", queryset=Axis.objects.order_by("number"))
    measures = MeasuresField(
        label="Mesures du Pacte",
        queryset=Measure.objects.select_related("axis"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Uniquement des mesures de l'axe choisi",
    )
    nature = forms.ChoiceField(label="Nature", choices=ActionNature.choices, widget=forms.RadioSelect)
    reinforcement = forms.ChoiceField(
        label="Renforcement",
        choices=[("", "Sans objet (action nouvelle)"), *Reinforcement.choices],
        required=False,
        help_text="Pour une action renforcée : file active, nouveaux publics ou nouvelles zones",
    )
    target_publics = forms.CharField(label="Publics cibles", widget=forms.Textarea(attrs={"rows": 3}))
    pilot = forms.CharField(label="Pilote", max_length=200)
    partners = forms.CharField(label="Partenaires", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 6}))

    @staticmethod
    def initial_for(action: Action) -> dict:
        return {
            "lock_version": action.lock_version,
            "title": action.title,
            "axis": action.axis_id,
            "measures": [measure.pk for measure in action.measures.all()],
            "nature": action.nature,
            "reinforcement": action.reinforcement,
            "target_publics": action.target_publics,
            "pilot": action.pilot,
            "partners": action.partners,
            "description": action.description,
        }


def national_target_choices() -> list[tuple]:
    targets = Target.objects.filter(kind=TargetKind.TARGET).order_by("measure__axis__number", "order", "code")
    choices = [("", "Aucune")]
    for target in targets:
        when = f" en {target.target_year}" if target.target_year else ""
        choices.append((target.pk, f"{target.label}{when}"))
    return choices


class IndicatorForm(PacteForm):
    label = forms.CharField(label="Indicateur", max_length=250)
    unit = forms.ChoiceField(label="Unité", choices=IndicatorUnit.choices, initial=IndicatorUnit.PERSONS)
    baseline_value = AmountField(label="Valeur de départ")
    baseline_year = forms.IntegerField(
        label="Année de départ", min_value=2000, max_value=2030, required=False
    )
    national_target = forms.TypedChoiceField(
        label="Cible nationale du référentiel", coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, years: range, target_choices: list[tuple], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.fields["national_target"].choices = target_choices
        for year in self.years:
            self.fields[f"target_{year}"] = AmountField(label=f"Cible {year}")
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def target_fields(self) -> list:
        return [self[f"target_{year}"] for year in self.years]

    def detail_fields(self) -> list:
        return [
            self[name] for name in ("label", "unit", "baseline_value", "baseline_year", "national_target")
        ]

    def to_row(self) -> services.IndicatorRow:
        data = self.cleaned_data
        return services.IndicatorRow(
            label=data["label"],
            unit=data["unit"],
            baseline_value=data["baseline_value"],
            baseline_year=data["baseline_year"],
            national_target_id=data["national_target"],
            year_targets={
                year: data[f"target_{year}"] for year in self.years if data[f"target_{year}"] is not None
            },
        )


class BaseIndicatorFormSet(forms.BaseFormSet):
    def __init__(self, *args, years: range, **kwargs):
        kwargs["form_kwargs"] = {"years": years, "target_choices": national_target_choices()}
        super().__init__(*args, **kwargs)

    def kept_forms(self) -> list[IndicatorForm]:
        """The rows that describe an indicator: filled in and not marked for removal."""
        return _kept_forms(self)


def _kept_forms(formset: forms.BaseFormSet) -> list:
    """Filled-in rows of a formset that are not marked for removal (an untouched extra row has no data)."""
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=BaseIndicatorFormSet, extra=1, can_delete=True
)


def indicator_initial(action: Action, years: range) -> list[dict]:
    rows = []
    for indicator in action.indicators.prefetch_related("year_targets"):
        targets = {target.year: target.value for target in indicator.year_targets.all()}
        rows.append(
            {
                "label": indicator.label,
                "unit": indicator.unit,
                "baseline_value": indicator.baseline_value,
                "baseline_year": indicator.baseline_year,
                "national_target": indicator.national_target_id,
                **{f"target_{year}": targets.get(year) for year in years},
            }
        )
    return rows


@dataclass
class GridRow:
    key: str
    funder: str
    label: str
    name: object  # the bound field of the co-funder's name, for "other" rows
    cells: list


class BudgetGridForm(PacteForm):
    """The budget of a fiche-action as a grid: one row per funder (État, Collectivité, other co-funders
    named by the user), one column per year. An empty cell is no budget line; 0 is a line of 0 €."""

    MIN_OTHER_ROWS = 3

    def __init__(self, *args, years: range, other_rows: int = MIN_OTHER_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.row_specs = [("etat", Funder.STATE, "État"), ("collectivite", Funder.LOCAL, "Collectivité")]
        self.row_specs += [
            (f"autre{index}", Funder.OTHER, f"Autre cofinanceur n°{index}")
            for index in range(1, max(other_rows, self.MIN_OTHER_ROWS) + 1)
        ]
        for key, funder, label in self.row_specs:
            if funder == Funder.OTHER:
                self.fields[f"{key}_name"] = forms.CharField(
                    label=f"{label} : nom", max_length=200, required=False
                )
            for year in self.years:
                self.fields[f"{key}_{year}"] = AmountField(label=f"{label} – {year}")
        self.cell_paths: list[tuple[str, str | None]] = []
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    @staticmethod
    def initial_for(action: Action) -> tuple[dict, int]:
        """The grid's initial values and the number of "other" rows it needs."""
        initial: dict = {}
        others: list[str] = []
        for line in action.budget_lines.all():
            if line.funder == Funder.OTHER:
                if line.funder_name not in others:
                    others.append(line.funder_name)
                key = f"autre{others.index(line.funder_name) + 1}"
                initial[f"{key}_name"] = line.funder_name
            else:
                key = "etat" if line.funder == Funder.STATE else "collectivite"
            initial[f"{key}_{line.year}"] = line.amount
        return initial, len(others)

    def rows(self) -> list[GridRow]:
        return [
            GridRow(
                key=key,
                funder=funder,
                label=label,
                name=self[f"{key}_name"] if funder == Funder.OTHER else None,
                cells=[self[f"{key}_{year}"] for year in self.years],
            )
            for key, funder, label in self.row_specs
        ]

    def to_rows(self) -> list[services.BudgetRow]:
        """Budget lines for the services; remembers which cell each line came from to place its errors."""
        rows, self.cell_paths = [], []
        for key, funder, _label in self.row_specs:
            name = self.cleaned_data.get(f"{key}_name", "") if funder == Funder.OTHER else ""
            for year in self.years:
                amount = self.cleaned_data[f"{key}_{year}"]
                if amount is None:
                    continue
                rows.append(services.BudgetRow(year=year, funder=funder, amount=amount, funder_name=name))
                self.cell_paths.append((f"{key}_{year}", f"{key}_name" if funder == Funder.OTHER else None))
        return rows

    def error_field(self, path: str) -> str | None:
        """The grid cell of a services path such as `budget[3].amount`; None for a rule on a whole year
        (`budget.2025`, the State's share), shown above the grid."""
        match = re.fullmatch(r"budget\[(\d+)\]\.(\w+)", path)
        if match:
            index, attribute = int(match.group(1)), match.group(2)
            if index >= len(self.cell_paths):
                return None
            amount_field, name_field = self.cell_paths[index]
            if attribute in ("funder_name", "funder") and name_field:
                return name_field
            return amount_field
        return None


class ActionEditor:
    """The three parts of the fiche-action page (the form, the indicators formset, the budget grid) handled
    as one: validated together, turned into `services.ActionData`, errors of the services put back in place."""

    INDICATORS_PREFIX = "indicateurs"
    BUDGET_PREFIX = "budget"

    def __init__(self, contract: Contract, action: Action | None = None, data=None):
        self.contract, self.action = contract, action
        years = contract.years
        if action is None:
            form_initial, indicators, budget, other_rows = {}, [], {}, 0
        else:
            form_initial = ActionForm.initial_for(action)
            indicators = indicator_initial(action, years)
            budget, other_rows = BudgetGridForm.initial_for(action)
        self.form = ActionForm(data, initial=form_initial)
        self.form.fields["lock_version"].required = action is not None
        self.indicators = IndicatorFormSet(
            data, initial=indicators, prefix=self.INDICATORS_PREFIX, years=years
        )
        self.budget = BudgetGridForm(
            data, initial=budget, years=years, other_rows=other_rows + 1, prefix=self.BUDGET_PREFIX
        )
        self._indicator_forms: list[IndicatorForm] = []

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.indicators.is_valid(), self.budget.is_valid()])

    @property
    def expected_version(self) -> int | None:
        return self.form.cleaned_data.get("lock_version") if self.action is not None else None

    def to_data(self) -> services.ActionData:
        data = self.form.cleaned_data
        self._indicator_forms = self.indicators.kept_forms()
        return services.ActionData(
            title=data["title"],
            axis_id=data["axis"].pk,
            nature=data["nature"],
            reinforcement=data["reinforcement"],
            target_publics=data["target_publics"],
            pilot=data["pilot"],
            partners=data["partners"],
            description=data["description"],
            measure_ids=[measure.pk for measure in data["measures"]],
            indicators=[form.to_row() for form in self._indicator_forms],
            budget=self.budget.to_rows(),
        )

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.form.add_error(None, message)
            return
        for path, messages in error.message_dict.items():
            for message in messages:
                self._place(path, message)

    def add_error(self, message: str) -> None:
        self.form.add_error(None, message)

    def _place(self, path: str, message: str) -> None:
        if path in self.form.fields:
            self.form.add_error(path, message)
            return
        if path.startswith("budget"):
            self.budget.add_error(self.budget.error_field(path), message)
            return
        match = re.fullmatch(r"indicators\[(\d+)\]\.(\w+)(?:\.(\d{4}))?", path)
        if match and int(match.group(1)) < len(self._indicator_forms):
            form = self._indicator_forms[int(match.group(1))]
            name = f"target_{match.group(3)}" if match.group(2) == "year_targets" else match.group(2)
            form.add_error(name if name in form.fields else None, message)
            return
        if path.startswith("indicators"):
            self.indicators._non_form_errors.append(message)
            return
        self.form.add_error(None, message)

    def error_summary(self) -> list[dict]:
        """Every error of the page as {label, message, anchor}, in reading order, for the summary at the top."""
        summary = _form_summary(self.form, "", "resume-erreurs", "Fiche-action")
        for index, form in enumerate(self.indicators.forms, start=1):
            summary += _form_summary(form, f"Indicateur n°{index} – ", "indicateurs", f"Indicateur n°{index}")
        summary += [
            {"label": "Indicateurs", "message": message, "anchor": "indicateurs"}
            for message in self.indicators.non_form_errors()
        ]
        summary += _form_summary(self.budget, "Budget – ", "budget", "Budget")
        return summary


def _form_summary(form: forms.Form, prefix: str, anchor: str, general: str) -> list[dict]:
    """Errors of `form` for the summary: field errors labelled `prefix` + field label and linked to the
    field, errors of the whole form labelled `general` and linked to `anchor`."""
    items = []
    for name, errors in form.errors.items():
        if name == "__all__":
            label, target = general, anchor
        else:
            label, target = f"{prefix}{form.fields[name].label}", form[name].auto_id
        items += [{"label": label, "message": message, "anchor": target} for message in errors]
    return items


# --- Local pacts ---------------------------------------------------------------------------------------


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


def partner_queryset(territory: Territory):
    """Organisations that may sign a territory's pact: national ones, those of its région and of its
    département (for a métropole, the département it lies in)."""
    departement = territory if territory.level == Level.DEPARTEMENT else territory.departement
    scope = Q(territory__isnull=True)
    if territory.region_id:
        scope |= Q(territory=territory.region_id)
    if departement is not None:
        scope |= departement.within_q("territory__")
    return Organisation.objects.filter(scope).order_by("name")


class PactForm(PacteForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="Intitulé", max_length=250)
    diagnostic_summary = forms.CharField(
        label="Synthèse du diagnostic territorial", widget=forms.Textarea(attrs={"rows": 6})
    )
    partners = OrganisationsField(
        label="Partenaires signataires",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Organisations inscrites sur la plateforme (CAF, France Travail, ARS, associations…)",
    )
    other_signatories = forms.CharField(
        label="Autres signataires",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Partenaires sans compte sur la plateforme, un par ligne",
    )
    signed_on = forms.DateField(
        label="Signé le",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Une fois la date de signature enregistrée, le pacte ne peut plus être modifié",
    )

    def __init__(
        self, *args, territory: Territory | None, territories: list[Territory] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if territory is not None:
            self.fields["partners"].queryset = partner_queryset(territory)
        else:
            # On creation the partners are chosen afterwards, among the organisations of the chosen territory.
            del self.fields["partners"]
            self.fields = {
                "territory": TerritoryChoiceField(
                    label="Collectivité",
                    queryset=Territory.objects.filter(pk__in=[t.pk for t in territories or []]),
                    initial=territories[0].pk if territories and len(territories) == 1 else None,
                ),
                **self.fields,
            }
            for visible in self.visible_fields():
                dsfr_input_class_attr(visible)

    def clean_territory(self):
        territory = self.cleaned_data["territory"]
        if LocalPact.objects.filter(territory=territory, period_start=PERIOD_START).exists():
            raise ValidationError(f"{territory.name} a déjà un pacte local des solidarités.")
        return territory

    @staticmethod
    def initial_for(pact: LocalPact) -> dict:
        return {
            "lock_version": pact.lock_version,
            "title": pact.title,
            "diagnostic_summary": pact.diagnostic_summary,
            "partners": [partner.pk for partner in pact.partners.all()],
            "other_signatories": pact.other_signatories,
            "signed_on": pact.signed_on,
        }


class PriorityForm(PacteForm):
    title = forms.CharField(label="Priorité", max_length=250)
    action_plan = forms.CharField(label="Plan d'action", widget=forms.Textarea(attrs={"rows": 4}))
    pilot = forms.CharField(label="Pilote", max_length=200)
    technical_committee = forms.CharField(
        label="Comité technique",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Membres et rythme de réunion",
    )


class BasePriorityFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": "Un pacte local compte au moins une priorité : renseignez la priorité n°1.",
        "too_many_forms": "Un pacte local compte au plus trois priorités.",
    }

    def kept_forms(self) -> list[PriorityForm]:
        return _kept_forms(self)

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms if not form.cleaned_data.get("DELETE")):
            return
        count = len(self.kept_forms())
        if count < 1:
            raise ValidationError(self.error_messages["too_few_forms"], code="too_few_forms")
        if count > PactPriority.MAX_PER_PACT:
            raise ValidationError(self.error_messages["too_many_forms"], code="too_many_forms")


PriorityFormSet = forms.formset_factory(
    PriorityForm,
    formset=BasePriorityFormSet,
    extra=0,
    min_num=1,
    max_num=PactPriority.MAX_PER_PACT,
    absolute_max=PactPriority.MAX_PER_PACT,
    validate_max=True,
    can_delete=True,
)


PRIORITY_FIELDS = ("title", "action_plan", "pilot", "technical_committee")


class PactEditor:
    """The local pact form and its 1 to 3 priorities, saved together in one transaction."""

    PREFIX = "priorites"

    def __init__(
        self, *, pact: LocalPact | None = None, territories: list[Territory] | None = None, data=None
    ):
        self.pact = pact
        territory = pact.territory if pact is not None else None
        initial = PactForm.initial_for(pact) if pact is not None else {}
        self.form = PactForm(data, initial=initial, territory=territory, territories=territories)
        self.form.fields["lock_version"].required = pact is not None
        priorities = (
            [
                {
                    "title": p.title,
                    "action_plan": p.action_plan,
                    "pilot": p.pilot,
                    "technical_committee": p.technical_committee,
                }
                for p in pact.priorities.all()
            ]
            if pact is not None
            else []
        )
        self.priorities = PriorityFormSet(data, initial=priorities, prefix=self.PREFIX)
        if not self.priorities.is_bound:
            self.priorities.extra = max(0, PactPriority.MAX_PER_PACT - max(len(priorities), 1))

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.priorities.is_valid()])

    def error_summary(self) -> list[dict]:
        summary = _form_summary(self.form, "", "resume-erreurs", "Pacte local")
        for index, form in enumerate(self.priorities.forms, start=1):
            summary += _form_summary(form, f"Priorité n°{index} – ", "priorites", f"Priorité n°{index}")
        summary += [
            {"label": "Priorités", "message": message, "anchor": "priorites"}
            for message in self.priorities.non_form_errors()
        ]
        return summary

    @transaction.atomic
    def save(self, *, is_demo: bool = False) -> LocalPact:
        """Create or update the pact and its priorities through the services (ranked in the order of the
        form); raises StaleEditError, and writes nothing, when someone saved the pact since the form was opened."""
        data = self.form.cleaned_data
        self.pact = services.save_local_pact(
            self.pact,
            territory=data.get("territory"),
            title=data["title"],
            diagnostic_summary=data["diagnostic_summary"],
            other_signatories=data["other_signatories"],
            signed_on=data["signed_on"],
            partners=data.get("partners"),
            priorities=[
                services.PriorityRow(**{name: form.cleaned_data[name] for name in PRIORITY_FIELDS})
                for form in self.priorities.kept_forms()
            ],
            expected_version=data.get("lock_version"),
            is_demo=is_demo,
        )
        return self.pact
