"""The forms of the regional roadmap: the roadmap (région, year, title), an objective, an action, and the report
of a decision into the roadmap. The services check the rules; these forms read and show the fields."""

from django import forms

from pacte.accounts.models import Organisation
from pacte.accounts.scope import is_national
from pacte.core.collation import french
from pacte.core.forms import AxisField, LockForm, PacteForm, TerritoryChoiceField
from pacte.governance.roadmap_models import (
    FIRST_YEAR,
    LAST_YEAR,
    RoadmapAction,
    RoadmapActionStatus,
    RoadmapObjective,
)
from pacte.programme.models import Axis
from pacte.territories.enums import Level
from pacte.territories.models import Territory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _organisations():
    return Organisation.objects.order_by(french("name"))


class RoadmapCreateForm(PacteForm):
    region = TerritoryChoiceField(label="Région", queryset=Territory.objects.none())
    year = forms.IntegerField(label="Année", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    title = forms.CharField(
        label="Intitulé",
        max_length=250,
        required=False,
        help_text="Par défaut : « Feuille de route régionale »",
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


def editable_regions(user):
    regions = Territory.objects.active().filter(level=Level.REGION).order_by("code")
    if is_national(user):
        return regions
    return regions.filter(pk=user.territory_id) if user.territory_id else regions.none()


class RoadmapTitleForm(LockForm):
    title = forms.CharField(label="Intitulé", max_length=250)


class RoadmapObjectiveForm(LockForm):
    title = forms.CharField(label="Intitulé de l'objectif", max_length=300)
    axis = AxisField(label="Axe du Pacte", queryset=Axis.objects.order_by("number"), required=False)

    def __init__(self, *args, objective: RoadmapObjective | None = None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if objective is not None:
            initial.update(title=objective.title, axis=objective.axis_id, lock_version=objective.lock_version)
        else:
            initial.setdefault("lock_version", 0)
        super().__init__(*args, **kwargs)


class RoadmapActionForm(LockForm):
    objective = forms.ModelChoiceField(label="Objectif", queryset=RoadmapObjective.objects.none())
    title = forms.CharField(label="Intitulé de l'action", max_length=300)
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label="Pilote (organisation sur la plateforme)", queryset=Organisation.objects.none(), required=False
    )
    owner_text = forms.CharField(label="Pilote (hors plateforme)", max_length=250, required=False)
    partners = forms.ModelMultipleChoiceField(
        label="Partenaires sur la plateforme", queryset=Organisation.objects.none(), required=False
    )
    partners_text = forms.CharField(
        label="Autres partenaires",
        max_length=500,
        required=False,
        help_text="Les partenaires sans compte sur la plateforme, séparés par des virgules",
    )
    due_date = forms.DateField(label="Échéance", required=False, widget=DATE)
    status = forms.ChoiceField(label="Statut", choices=RoadmapActionStatus.choices)

    def __init__(self, *args, roadmap, action: RoadmapAction | None = None, objective=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if action is not None:
            initial.update(
                {
                    name: getattr(action, name)
                    for name in ("title", "description", "owner_text", "partners_text")
                },
                objective=action.objective_id,
                owner_organisation=action.owner_organisation_id,
                partners=[org.pk for org in action.partners.all()],
                due_date=action.due_date,
                status=action.status,
                lock_version=action.lock_version,
            )
        else:
            initial.setdefault("lock_version", 0)
            if objective is not None:
                initial.setdefault("objective", objective.pk)
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = roadmap.objectives.order_by("number")
        self.fields["owner_organisation"].queryset = _organisations()
        self.fields["partners"].queryset = _organisations()

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title",
                "description",
                "owner_organisation",
                "owner_text",
                "partners_text",
                "due_date",
            )
        } | {"status": data["status"]}


class ReportDecisionForm(PacteForm):
    objective = forms.ModelChoiceField(
        label="Objectif", queryset=RoadmapObjective.objects.none(), required=False
    )
    title = forms.CharField(
        label="Intitulé de l'action",
        max_length=300,
        required=False,
        help_text="Par défaut : la première ligne de la décision",
    )

    def __init__(self, *args, roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = roadmap.objectives.order_by("number")
