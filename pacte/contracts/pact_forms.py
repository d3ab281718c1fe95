"""The local pact page: the pact and its 1 to 3 priorities (a formset), saved together by `PactEditor`."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from dsfr.utils import dsfr_input_class_attr

from pacte.accounts.models import Organisation
from pacte.contracts.enums import PERIOD_START
from pacte.contracts.forms import form_summary, kept_forms
from pacte.contracts.models import LocalPact, PactPriority
from pacte.contracts.services.pacts import PriorityRow, save_local_pact
from pacte.core.forms import LockForm, PacteForm, TerritoryChoiceField
from pacte.territories.enums import Level
from pacte.territories.models import Territory

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


class PactForm(LockForm):
    """The local pact; `lock_version` is required when an existing one is edited."""

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
        return kept_forms(self)

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
        summary = form_summary(self.form, "", "resume-erreurs", "Pacte local")
        for index, form in enumerate(self.priorities.forms, start=1):
            summary += form_summary(form, f"Priorité n°{index} – ", "priorites", f"Priorité n°{index}")
        summary += [
            {"label": "Priorités", "message": message, "anchor": "priorites"}
            for message in self.priorities.non_form_errors()
        ]
        return summary

    def add_service_errors(self, error: ValidationError) -> None:
        """The services' messages: on the pact's fields, or above the priorities for the rule on their
        number."""
        if hasattr(error, "error_dict") and "priorities" in error.error_dict:
            self.priorities._non_form_errors.extend(error.message_dict["priorities"])
            error = ValidationError({k: v for k, v in error.message_dict.items() if k != "priorities"})
            if not error.error_dict:
                return
        self.form.add_service_errors(error)

    def add_error(self, field: str | None, message: str) -> None:
        self.form.add_error(field, message)

    @transaction.atomic
    def save(self, *, is_demo: bool = False) -> LocalPact:
        """Create or update the pact and its priorities through the services (ranked in the order of the
        form); raises StaleEditError, and writes nothing, when someone saved the pact since the form was opened."""
        data = self.form.cleaned_data
        self.pact = save_local_pact(
            self.pact,
            territory=data.get("territory"),
            title=data["title"],
            diagnostic_summary=data["diagnostic_summary"],
            other_signatories=data["other_signatories"],
            signed_on=data["signed_on"],
            partners=data.get("partners"),
            priorities=[
                PriorityRow(**{name: form.cleaned_data[name] for name in PRIORITY_FIELDS})
                for form in self.priorities.kept_forms()
            ],
            expected_version=data.get("lock_version"),
            is_demo=is_demo,
        )
        return self.pact
