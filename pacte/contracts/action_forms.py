"""The fiche-action page: the fiche itself, its indicators (a formset) and its budget grid (one row per funder,
one column per year), handled as one by `ActionEditor`, which turns them into `ActionData` and puts the errors
raised by the services back on the right field, indicator row or budget cell."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from dsfr.utils import dsfr_input_class_attr

from pacte.contracts import kinds
from pacte.contracts.enums import ActionNature, FranceTravailVolet, Funder, IndicatorUnit, Reinforcement
from pacte.contracts.forms import form_summary, kept_forms
from pacte.contracts.models import Action, Contract
from pacte.contracts.services.actions import ActionData, BudgetRow, IndicatorRow
from pacte.core.forms import AmountField, AxisField, LockForm, MeasuresField, PacteForm
from pacte.programme.models import Axis, Measure, Target

# --- Fiches-actions ---------------------------------------------------------------------------------------


class ActionForm(LockForm):
    """The fiche-action itself; `lock_version` is required when an existing one is edited."""

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
        label="Type de renforcement",
        choices=[("", "Sans objet (action nouvelle)"), *Reinforcement.choices],
        required=False,
        help_text="Pour une action renforcée : file active, nouveaux publics ou nouvelles zones ; son indicateur du "
        "renforcement part de la situation d'avant (valeur de départ) et la dépasse chaque année",
    )
    volet = forms.ChoiceField(
        label="Volet de la convention France Travail",
        choices=[("", "Sans objet (hors partie France Travail)"), *FranceTravailVolet.choices],
        required=False,
        help_text="Pour une action de l'axe 2 d'une convention France Travail ou globale : ses trois volets ont "
        "chacun leur financement, sans fongibilité",
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
            "volet": action.volet,
            "target_publics": action.target_publics,
            "pilot": action.pilot,
            "partners": action.partners,
            "description": action.description,
        }


def national_target_choices(kept: Iterable[int] = ()) -> list[tuple]:
    """The référentiel's national targets, each with its unit: an indicator adds up to a target of the same unit.
    The rows in `kept` (an existing action's links) stay on offer even if they are no longer national targets (a
    reform in force, a withdrawn row: `save_action` keeps such a link, never makes a new one)."""
    targets = Target.objects.filter(
        Q(pk__in=Target.objects.national_targets()) | Q(pk__in=list(kept))
    ).order_by("measure__axis__number", "order", "code")
    choices = [("", "Aucune")]
    for target in targets:
        when = f" en {target.target_year}" if target.target_year else f" ({target.horizon_label})"
        former = "" if target.is_national_target else " – lien conservé, ce n'est plus une cible nationale"
        choices.append((target.pk, f"{target.label}{when} ({target.unit}){former}"))
    return choices


class IndicatorForm(PacteForm):
    label = forms.CharField(label="Indicateur", max_length=250)
    unit = forms.ChoiceField(label="Unité", choices=IndicatorUnit.choices, initial=IndicatorUnit.PERSONS)
    baseline_value = AmountField(label="Valeur de départ")
    baseline_year = forms.IntegerField(
        label="Année de départ", min_value=2000, max_value=2030, required=False
    )
    national_target = forms.TypedChoiceField(
        label="Cible nationale du référentiel",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Dans la même unité que l'indicateur, qui s'y additionne",
    )
    is_reinforcement = forms.BooleanField(
        label="Mesure le renforcement",
        required=False,
        help_text="Action renforcée : la file active, les publics ou les zones couverts ; la valeur de départ est "
        "la situation d'avant, chaque cible la dépasse",
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

    def to_row(self) -> IndicatorRow:
        data = self.cleaned_data
        return IndicatorRow(
            label=data["label"],
            unit=data["unit"],
            baseline_value=data["baseline_value"],
            baseline_year=data["baseline_year"],
            national_target_id=data["national_target"],
            is_reinforcement=data["is_reinforcement"],
            year_targets={
                year: data[f"target_{year}"] for year in self.years if data[f"target_{year}"] is not None
            },
        )


class BaseIndicatorFormSet(forms.BaseFormSet):
    def __init__(self, *args, years: range, kept_targets: Iterable[int] = (), **kwargs):
        kwargs["form_kwargs"] = {"years": years, "target_choices": national_target_choices(kept_targets)}
        super().__init__(*args, **kwargs)

    def kept_forms(self) -> list[IndicatorForm]:
        """The rows that describe an indicator: filled in and not marked for removal."""
        return kept_forms(self)


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
                "is_reinforcement": indicator.is_reinforcement,
                **{f"target_{year}": targets.get(year) for year in years},
            }
        )
    return rows


@dataclass
class BudgetGridFormRow:
    """A funder's row of the budget grid form: its label, the input of its name ("other" rows) and a cell per
    year."""

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

    def rows(self) -> list[BudgetGridFormRow]:
        return [
            BudgetGridFormRow(
                key=key,
                funder=funder,
                label=label,
                name=self[f"{key}_name"] if funder == Funder.OTHER else None,
                cells=[self[f"{key}_{year}"] for year in self.years],
            )
            for key, funder, label in self.row_specs
        ]

    def to_rows(self) -> list[BudgetRow]:
        """Budget lines for the services; remembers which cell each line came from to place its errors."""
        rows, self.cell_paths = [], []
        for key, funder, _label in self.row_specs:
            name = self.cleaned_data.get(f"{key}_name", "") if funder == Funder.OTHER else ""
            for year in self.years:
                amount = self.cleaned_data[f"{key}_{year}"]
                if amount is None:
                    continue
                rows.append(BudgetRow(year=year, funder=funder, amount=amount, funder_name=name))
                self.cell_paths.append((f"{key}_{year}", f"{key}_name" if funder == Funder.OTHER else None))
        return rows

    def field_for(self, path: str) -> str | None:
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
    as one: validated together, turned into `ActionData`, errors of the services put back in place (it has
    `add_service_errors` and `add_error`, so that `errors_on(editor)` works as for a form)."""

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
        self._fit_to_kind(contract.kind, action)
        self.indicators = IndicatorFormSet(
            data,
            initial=indicators,
            prefix=self.INDICATORS_PREFIX,
            years=years,
            kept_targets=[row["national_target"] for row in indicators if row.get("national_target")],
        )
        self.budget = BudgetGridForm(
            data, initial=budget, years=years, other_rows=other_rows + 1, prefix=self.BUDGET_PREFIX
        )
        self._indicator_forms: list[IndicatorForm] = []

    def _fit_to_kind(self, kind: str, action: Action | None) -> None:
        """Offer the axes and the contractable measures of the convention's kind (`kinds`), and the volet only
        where the kind has a France Travail part; an existing action keeps its own axis and measures on offer
        (the save then says what to correct)."""
        axes = kinds.allowed_axes(kind)
        kept = Q(pk=action.axis_id) if action is not None else Q(pk__in=[])
        self.form.fields["axis"].queryset = Axis.objects.filter(Q(number__in=axes) | kept).order_by("number")
        contractable = Q(pk__in=[])
        for number in axes:
            contractable |= Q(
                axis__number=number, **{f"contractable_{kinds.contractable_scope(kind, number)}": True}
            )
        if action is not None:
            contractable |= Q(pk__in=[measure.pk for measure in action.measures.all()])
        self.form.fields["measures"].queryset = Measure.objects.filter(contractable).select_related("axis")
        if not any(kinds.volets_apply(kind, number) for number in axes):
            del self.form.fields["volet"]

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.indicators.is_valid(), self.budget.is_valid()])

    @property
    def expected_version(self) -> int | None:
        return self.form.cleaned_data.get("lock_version") if self.action is not None else None

    def to_data(self) -> ActionData:
        data = self.form.cleaned_data
        self._indicator_forms = self.indicators.kept_forms()
        return ActionData(
            title=data["title"],
            axis_id=data["axis"].pk,
            nature=data["nature"],
            reinforcement=data["reinforcement"],
            volet=data.get("volet", ""),
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

    def add_error(self, field: str | None, message: str) -> None:
        self.form.add_error(field, message)

    def _place(self, path: str, message: str) -> None:
        if path in self.form.fields:
            self.form.add_error(path, message)
            return
        if path.startswith("budget"):
            self.budget.add_error(self.budget.field_for(path), message)
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
        summary = form_summary(self.form, "", "resume-erreurs", "Fiche-action")
        for index, form in enumerate(self.indicators.forms, start=1):
            summary += form_summary(form, f"Indicateur n°{index} – ", "indicateurs", f"Indicateur n°{index}")
        summary += [
            {"label": "Indicateurs", "message": message, "anchor": "indicateurs"}
            for message in self.indicators.non_form_errors()
        ]
        summary += form_summary(self.budget, "Budget – ", "budget", "Budget")
        return summary
