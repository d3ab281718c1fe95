"""The forms of the pactes locaux: the pact with its priorities and signatories (formsets) saved together by
`PactEditor`; a collected action and its follow-up; a regional envelope; the commissioner's split of it."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from dsfr.utils import dsfr_input_class_attr

from pacte.accounts.models import Organisation
from pacte.contracts.enums import PERIOD_END, PERIOD_START, PactActionStatus, PriorityPublic
from pacte.contracts.forms import form_summary, kept_forms
from pacte.contracts.models.pacts import (
    LocalPact,
    PactAction,
    PactEnvelope,
    PactPriority,
)
from pacte.contracts.services.pacts import (
    PactActionData,
    PriorityRow,
    SignatoryRow,
    perimeter_choices,
    save_local_pact,
    signatory_organisations,
)
from pacte.core.forms import AmountField, LockForm, PacteForm, TerritoryChoiceField, territory_choice_label
from pacte.territories.enums import Level
from pacte.territories.models import Territory

PUBLICS_HELP = (
    "Instruction du 12 juin 2024 : « Les mesures doivent cibler en priorité les enfants, les femmes, les familles "
    "monoparentales, ainsi que les travailleurs pauvres »."
)
ROW_PATH = re.compile(r"^(priorities|signatories)\[(\d+)\]\.(\w+)$")


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class PerimeterField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return territory_choice_label(obj)


def publics_field(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=PriorityPublic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=PUBLICS_HELP,
    )


# --- The pact -------------------------------------------------------------------------------------------


class PactForm(LockForm):
    """The local pact; `lock_version` is required when an existing one is edited."""

    title = forms.CharField(label="Intitulé", max_length=250)
    diagnostic_summary = forms.CharField(
        label="Synthèse du diagnostic territorial", widget=forms.Textarea(attrs={"rows": 6})
    )
    priority_publics = publics_field("Publics prioritaires")
    perimeter = PerimeterField(
        label="Périmètre",
        queryset=Territory.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Les EPCI ou les communes sur lesquels porte le pacte ; aucun choisi : tout le territoire.",
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
            self.fields["perimeter"].queryset = perimeter_choices(territory)
        else:
            # On creation the perimeter and the signatories are chosen afterwards, within the chosen territory.
            del self.fields["perimeter"]
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
            "priority_publics": pact.priority_publics,
            "perimeter": [place.pk for place in pact.perimeter.all()],
            "signed_on": pact.signed_on,
        }


class PriorityForm(PacteForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
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


class SignatoryForm(PacteForm):
    organisation = OrganisationChoiceField(
        label="Organisation inscrite sur la plateforme", queryset=Organisation.objects.none(), required=False
    )
    name = forms.CharField(
        label="Ou nom du signataire", max_length=250, required=False, help_text="S'il n'a pas de compte"
    )
    contribution = forms.CharField(
        label="Contribution", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    amount = AmountField(label="Contribution financière (€)", min_value=0)


class BaseSignatoryFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[SignatoryForm]:
        return kept_forms(self)


SignatoryFormSet = forms.formset_factory(
    SignatoryForm, formset=BaseSignatoryFormSet, extra=0, max_num=100, absolute_max=100, can_delete=True
)

PRIORITY_FIELDS = ("title", "action_plan", "pilot", "technical_committee")
SIGNATORY_FIELDS = ("organisation", "name", "contribution", "amount")


class PactEditor:
    """The local pact form, its 1 to 3 priorities and (once the pact exists) its signatories, saved together in
    one transaction."""

    PREFIX = "priorites"
    SIGNATORIES = "signataires"

    def __init__(
        self, *, pact: LocalPact | None = None, territories: list[Territory] | None = None, data=None
    ):
        self.pact = pact
        territory = pact.territory if pact is not None else None
        initial = PactForm.initial_for(pact) if pact is not None else {}
        self.form = PactForm(data, initial=initial, territory=territory, territories=territories)
        self.form.fields["lock_version"].required = pact is not None
        priorities = [
            {"id": p.pk, **{name: getattr(p, name) for name in PRIORITY_FIELDS}}
            for p in (pact.priorities.all() if pact is not None else [])
        ]
        self.priorities = PriorityFormSet(data, initial=priorities, prefix=self.PREFIX)
        if not self.priorities.is_bound:
            self.priorities.extra = max(0, PactPriority.MAX_PER_PACT - max(len(priorities), 1))
        self.signatories = None
        if pact is not None:
            rows = [
                {
                    "organisation": s.organisation_id,
                    "name": s.name,
                    "contribution": s.contribution,
                    "amount": s.amount,
                }
                for s in pact.signatories.all()
            ]
            self.signatories = SignatoryFormSet(data, initial=rows, prefix=self.SIGNATORIES)
            if not self.signatories.is_bound:
                self.signatories.extra = 2
            organisations = signatory_organisations(territory)
            for form in self.signatories.forms:
                form.fields["organisation"].queryset = organisations

    def formsets(self) -> list:
        return [formset for formset in (self.priorities, self.signatories) if formset is not None]

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), *(formset.is_valid() for formset in self.formsets())])

    def error_summary(self) -> list[dict]:
        summary = form_summary(self.form, "", "resume-erreurs", "Pacte local")
        for index, form in enumerate(self.priorities.forms, start=1):
            summary += form_summary(form, f"Priorité n°{index} – ", "priorites", f"Priorité n°{index}")
        summary += [
            {"label": "Priorités", "message": message, "anchor": "priorites"}
            for message in self.priorities.non_form_errors()
        ]
        if self.signatories is not None:
            for index, form in enumerate(self.signatories.forms, start=1):
                summary += form_summary(
                    form, f"Signataire n°{index} – ", "signataires", f"Signataire n°{index}"
                )
        return summary

    def add_service_errors(self, error: ValidationError) -> None:
        """The services' messages: on a priority's or a signatory's field (`priorities[0].pilot`), above the
        priorities for the rules on them as a whole, on the pact's fields otherwise."""
        if not hasattr(error, "error_dict"):
            self.form.add_service_errors(error)
            return
        rest = {}
        for path, messages in error.message_dict.items():
            match = ROW_PATH.match(path)
            if path == "priorities":
                self.priorities._non_form_errors.extend(messages)
            elif match and self._row_form(match.group(1), int(match.group(2))) is not None:
                form = self._row_form(match.group(1), int(match.group(2)))
                name = match.group(3) if match.group(3) in form.fields else None
                for message in messages:
                    form.add_error(name, message)
            else:
                rest[path] = messages
        if rest:
            self.form.add_service_errors(ValidationError(rest))

    def _row_form(self, kind: str, index: int):
        formset = self.priorities if kind == "priorities" else self.signatories
        kept = formset.kept_forms() if formset is not None else []
        return kept[index] if index < len(kept) else None

    def add_error(self, field: str | None, message: str) -> None:
        self.form.add_error(field, message)

    @transaction.atomic
    def save(self, *, is_demo: bool = False) -> LocalPact:
        """Create or update the pact, its priorities and signatories through the services (ranked in the order
        of the form); raises StaleEditError, and writes nothing, when someone saved the pact since the form was
        opened."""
        data = self.form.cleaned_data
        signatories = None
        if self.signatories is not None:
            signatories = [
                SignatoryRow(
                    organisation_id=form.cleaned_data["organisation"].pk
                    if form.cleaned_data["organisation"]
                    else None,
                    name=form.cleaned_data["name"],
                    contribution=form.cleaned_data["contribution"],
                    amount=form.cleaned_data["amount"],
                )
                for form in self.signatories.kept_forms()
            ]
        self.pact = save_local_pact(
            self.pact,
            territory=data.get("territory"),
            title=data["title"],
            diagnostic_summary=data["diagnostic_summary"],
            priority_publics=data["priority_publics"],
            perimeter=list(data["perimeter"]) if "perimeter" in data else None,
            signatories=signatories,
            signed_on=data["signed_on"],
            priorities=[
                PriorityRow(
                    pk=form.cleaned_data.get("id"),
                    **{name: form.cleaned_data[name] for name in PRIORITY_FIELDS},
                )
                for form in self.priorities.kept_forms()
            ],
            expected_version=data.get("lock_version"),
            is_demo=is_demo,
        )
        return self.pact


# --- A collected action -----------------------------------------------------------------------------------


class PriorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"Priorité {obj.rank} – {obj.title}"


class PactActionForm(LockForm):
    """An action carried out under the pact and its follow-up. The DIPLP's collection form is not published:
    these fields are the platform's own."""

    priority = PriorityChoiceField(label="Priorité du pacte", queryset=PactPriority.objects.none())
    title = forms.CharField(label="Intitulé", max_length=250)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 4}))
    carrier = forms.CharField(label="Porteur", max_length=250, help_text="Qui mène l'action")
    publics = publics_field("Publics prioritaires visés")
    other_publics = forms.CharField(label="Autres publics", max_length=250, required=False)
    year = forms.TypedChoiceField(label="Année des crédits", coerce=int)
    state_amount = AmountField(
        label="Crédits des pactes locaux (€)",
        help_text="Pris sur la part de l'enveloppe régionale attribuée au département",
    )
    other_funding = AmountField(label="Autres financements (€)")
    status = forms.ChoiceField(label="État", choices=PactActionStatus.choices)
    people_reached = forms.IntegerField(label="Personnes touchées", min_value=0, required=False)
    follow_up = forms.CharField(
        label="Suivi",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Ce qui a été fait, les difficultés, la raison d'un abandon",
    )

    def __init__(self, *args, pact: LocalPact, action: PactAction | None = None, **kwargs):
        if action is not None:
            kwargs.setdefault(
                "initial",
                {
                    "lock_version": action.lock_version,
                    "priority": action.priority_id,
                    **{
                        name: getattr(action, name)
                        for name in (
                            "title",
                            "description",
                            "carrier",
                            "publics",
                            "other_publics",
                            "year",
                            "state_amount",
                            "other_funding",
                            "status",
                            "people_reached",
                            "follow_up",
                        )
                    },
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].required = action is not None
        self.fields["priority"].queryset = pact.priorities.all()
        self.fields["year"].choices = [(year, str(year)) for year in pact.years]

    def data_for_services(self) -> PactActionData:
        data = self.cleaned_data
        return PactActionData(
            priority_id=data["priority"].pk,
            title=data["title"],
            description=data["description"],
            carrier=data["carrier"],
            publics=data["publics"],
            other_publics=data["other_publics"],
            year=data["year"],
            state_amount=data["state_amount"],
            other_funding=data["other_funding"],
            status=data["status"],
            people_reached=data["people_reached"],
            follow_up=data["follow_up"],
        )


# --- The regional envelopes ---------------------------------------------------------------------------------


class PactEnvelopeForm(LockForm):
    """A région's envelope for a year (national steering): the région and the year only when it is entered."""

    region = TerritoryChoiceField(label="Région", queryset=Territory.objects.none())
    year = forms.TypedChoiceField(
        label="Année", coerce=int, choices=[(y, str(y)) for y in range(PERIOD_START, PERIOD_END + 1)]
    )
    amount = AmountField(label="Enveloppe régionale (€)", required=True, help_text="Le montant notifié")
    reference = forms.CharField(
        label="Référence", max_length=250, required=False, help_text="Notification ou délégation de crédits"
    )

    def __init__(self, *args, envelope: PactEnvelope | None = None, **kwargs):
        if envelope is not None:
            kwargs.setdefault(
                "initial",
                {
                    "lock_version": envelope.lock_version,
                    "amount": envelope.amount,
                    "reference": envelope.reference,
                },
            )
        super().__init__(*args, **kwargs)
        if envelope is None:
            self.fields["lock_version"].required = False
            self.fields["region"].queryset = (
                Territory.objects.active().filter(level=Level.REGION).order_by("name")
            )
        else:
            del self.fields["region"], self.fields["year"]


class EnvelopeShareForm(LockForm):
    """The commissioner's split: one amount per département of the région (`amount_<code>`)."""

    def __init__(self, *args, envelope: PactEnvelope, rows: list[dict], **kwargs):
        kwargs.setdefault(
            "initial",
            {"lock_version": envelope.lock_version}
            | {f"amount_{row['departement'].code}": row["allocated"] for row in rows},
        )
        super().__init__(*args, **kwargs)
        self.departements = {}
        for row in rows:
            departement = row["departement"]
            name = f"amount_{departement.code}"
            self.fields[name] = AmountField(label=f"{departement.name} ({departement.code})", min_value=0)
            dsfr_input_class_attr(self[name])
            self.departements[name] = departement

    def amounts(self) -> dict:
        return {departement.pk: self.cleaned_data[name] for name, departement in self.departements.items()}
