"""Forms of the governance and concertation pages. They only check what a browser may get wrong; the rules
live in `services`, whose errors the views put back on the named field with `pacte.core.forms.errors_on`.
A form that edits an existing row carries the version it was opened on (`LockForm`); one that creates a row
carries none."""

from django import forms
from django.db.models import Q

from pacte.accounts.models import Organisation, User
from pacte.accounts.scope import is_national, territory_q
from pacte.contracts.models import Contract
from pacte.core.collation import french
from pacte.core.forms import LockForm, PacteForm, PacteModelForm, TerritoryChoiceField
from pacte.governance import perms
from pacte.governance.enums import (
    Attendance,
    CommitteeKind,
    DecisionStatus,
    DocumentKind,
    StakeholderCategory,
)
from pacte.governance.models import (
    Committee,
    ConcertationTheme,
    Decision,
    Member,
    Stakeholder,
)
from pacte.governance.services.committees import COMMITTEE_FIELDS, MEMBER_FIELDS
from pacte.governance.services.concertation import STAKEHOLDER_FIELDS
from pacte.governance.services.meetings import MEETING_FIELDS
from pacte.programme.models import Axis
from pacte.territories.enums import METROPOLE_TYPES, Level
from pacte.territories.models import Territory

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def opened_on(form: LockForm, version: int | None) -> None:
    """The version of the row `form` edits; None when the form creates the row (it then carries no version)."""
    if version is None:
        del form.fields["lock_version"]
    else:
        form.fields["lock_version"].initial = version


def changes(form, names) -> dict:
    """The cleaned values of the fields `names`, for a service."""
    return {name: form.cleaned_data[name] for name in names}


# --- Instances -------------------------------------------------------------------------------------------


class CommitteeForm(LockForm, PacteModelForm):
    territory = TerritoryChoiceField(
        label="Territoire",
        queryset=Territory.objects.none(),
        required=False,
        help_text="Vide pour une instance nationale (pilotage national seulement)",
    )

    class Meta:
        model = Committee
        fields = list(COMMITTEE_FIELDS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["territory"].queryset = perms.committee_territories(user).order_by(
            "level", french("name")
        )
        self.fields["territory"].required = not is_national(user)
        self.fields["axis"].queryset = Axis.objects.order_by("number")
        organisations = Organisation.objects.order_by(french("name"))
        if not is_national(user):
            organisations = organisations.filter(
                territory_q(user, "territory__") | Q(pk=user.organisation_id)
            )
        self.fields["secretariat"].queryset = organisations
        opened_on(self, self.instance.lock_version if self.instance.pk else None)

    def changes(self) -> dict:
        return changes(self, COMMITTEE_FIELDS)


class MemberForm(LockForm, PacteModelForm):
    class Meta:
        model = Member
        fields = list(MEMBER_FIELDS)
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        scope = Q(role__gt="", is_active=True)
        organisations = Organisation.objects.order_by(french("name"))
        if committee.territory_id is not None:
            within = committee.territory.within_q("territory__") | Q(territory__isnull=True)
            organisations = organisations.filter(within)
            scope &= within | Q(pk=getattr(self.instance, "user_id", None))
        self.fields["user"].queryset = (
            User.objects.filter(scope)
            .select_related("organisation")
            .order_by(french("last_name"), french("first_name"), "username")
        )
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username}"
            + (f" – {user.organisation.name}" if user.organisation_id else "")
        )
        self.fields["organisation"].queryset = organisations
        self.fields["start_date"].input_formats = DATE_FORMATS
        self.fields["end_date"].input_formats = DATE_FORMATS
        opened_on(self, self.instance.lock_version if self.instance.pk else None)

    def changes(self) -> dict:
        return changes(self, MEMBER_FIELDS)


class SteeringForm(PacteForm):
    """The contract an instance becomes the comité de pilotage of (those the user sees in the instance's
    territory: `queries.linkable_contracts`)."""

    contract = forms.ModelChoiceField(
        label="Contrat ou convention",
        queryset=Contract.objects.none(),
        help_text="Le contrat initial : l’instance pilote aussi ses avenants",
    )

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["contract"].label_from_instance = lambda contract: (
            f"{contract.title} – {contract.get_kind_display()} ({contract.get_status_display().lower()})"
        )


# --- Meetings --------------------------------------------------------------------------------------------


class MeetingForm(LockForm):
    title = forms.CharField(label="Intitulé", max_length=250)
    concertation_theme = forms.ModelChoiceField(
        label="Thème ou question transverse de la concertation",
        queryset=ConcertationTheme.objects.all(),
        required=False,
    )
    starts_at = forms.DateTimeField(
        label="Début", input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput()
    )
    ends_at = forms.DateTimeField(label="Fin", input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput())
    place = forms.CharField(label="Lieu", max_length=300, required=False)
    visio_url = forms.URLField(label="Lien de visioconférence", required=False, assume_scheme="https")
    agenda = forms.CharField(
        label="Ordre du jour",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Un point par ligne, dans l'ordre",
    )
    details = forms.CharField(
        label="Informations pratiques", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    participants_count = forms.IntegerField(
        label="Nombre total de participants",
        required=False,
        min_value=0,
        help_text="Pour une conférence ouverte au-delà des membres",
    )

    def __init__(self, *args, meeting=None, **kwargs):
        if meeting is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": meeting.title,
                "concertation_theme": meeting.concertation_theme_id,
                "starts_at": meeting.starts_at,
                "ends_at": meeting.ends_at,
                "place": meeting.place,
                "visio_url": meeting.visio_url,
                "details": meeting.details,
                "participants_count": meeting.participants_count,
                "agenda": "\n".join(item.title for item in meeting.agenda_items.order_by("order")),
            }
        super().__init__(*args, **kwargs)
        opened_on(self, meeting.lock_version if meeting is not None else None)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "La fin de la réunion doit suivre son début.")
        return data

    def meeting_fields(self) -> dict:
        return changes(self, MEETING_FIELDS)

    def agenda_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]


class CancelForm(PacteForm):
    reason = forms.CharField(label="Motif de l'annulation", max_length=300)


class AttendanceForm(PacteForm):
    """One choice per invited member."""

    participants_count = forms.IntegerField(label="Nombre total de participants", required=False, min_value=0)

    def __init__(self, *args, attendances, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = list(attendances)
        self.fields["participants_count"].initial = meeting.participants_count
        for attendance in self.attendances:
            self.fields[f"presence_{attendance.pk}"] = forms.ChoiceField(
                label=attendance.member.display_name,
                choices=Attendance.choices,
                initial=attendance.status,
            )

    def statuses(self) -> dict[int, str]:
        return {
            attendance.pk: self.cleaned_data[f"presence_{attendance.pk}"] for attendance in self.attendances
        }

    def rows(self):
        return [(attendance, self[f"presence_{attendance.pk}"]) for attendance in self.attendances]


class DocumentForm(PacteForm):
    title = forms.CharField(
        label="Titre", max_length=250, required=False, help_text="Par défaut, le nom du fichier"
    )
    file = forms.FileField(
        label="Fichier", help_text="PDF, bureautique (ODT, DOCX, XLSX…), CSV ou texte ; 10 Mo au plus"
    )
    is_public = forms.BooleanField(
        label="Document public",
        required=False,
        help_text="Visible de tous si l'instance est publique ; sinon réservé aux membres",
    )


class ExtractForm(PacteForm):
    kind = forms.ChoiceField(
        label="Extrait",
        choices=[
            (DocumentKind.DIAGNOSTIC, DocumentKind.DIAGNOSTIC.label),
            (DocumentKind.BAROMETER, DocumentKind.BAROMETER.label),
        ],
        widget=forms.RadioSelect,
    )
    territory = TerritoryChoiceField(
        label="Territoire du diagnostic",
        queryset=Territory.objects.none(),
        required=False,
        help_text="Pour un diagnostic : une région, un département ou une métropole",
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        territories = Territory.objects.active().filter(
            Q(level__in=[Level.REGION, Level.DEPARTEMENT])
            | Q(level=Level.EPCI, epci_type__in=METROPOLE_TYPES)
        )
        if committee.territory_id:
            territories = territories.filter(
                committee.territory.within_q() | Q(pk=committee.territory.region_id or committee.territory_id)
            )
            self.fields["territory"].initial = committee.territory_id
        self.fields["territory"].queryset = territories.order_by("level", french("name"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == DocumentKind.DIAGNOSTIC and not data.get("territory"):
            self.add_error("territory", "Choisissez le territoire du diagnostic.")
        return data


class MinutesForm(LockForm):
    text = forms.CharField(label="Compte rendu", widget=forms.Textarea(attrs={"rows": 16}))

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        opened_on(self, version)


class DecisionForm(LockForm):
    text = forms.CharField(label="Décision", widget=forms.Textarea(attrs={"rows": 3}))
    owner_member = forms.ModelChoiceField(
        label="Porteur (membre de l'instance)", queryset=Member.objects.none(), required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label="Porteur (organisation)", queryset=Organisation.objects.none(), required=False
    )
    due_date = forms.DateField(
        label="Échéance", required=False, widget=DateInput(), input_formats=DATE_FORMATS
    )
    status = forms.ChoiceField(label="Statut", choices=DecisionStatus.choices, initial=DecisionStatus.TODO)
    follow_up = forms.CharField(label="Suivi", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_confidential = forms.BooleanField(
        label="Réservée aux membres",
        required=False,
        help_text="Sinon publique lorsque l'instance est publique",
    )

    def __init__(
        self, *args, committee: Committee, decision: Decision | None = None, owner_only=False, **kwargs
    ):
        if decision is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "text": decision.text,
                "owner_member": decision.owner_member_id,
                "owner_organisation": decision.owner_organisation_id,
                "due_date": decision.due_date,
                "status": decision.status,
                "follow_up": decision.follow_up,
                "is_confidential": decision.is_confidential,
            }
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = committee.members.select_related("user", "organisation")
        self.fields["owner_member"].label_from_instance = lambda member: member.display_name
        organisations = Organisation.objects.order_by(french("name"))
        if committee.territory_id:
            organisations = organisations.filter(
                committee.territory.within_q("territory__") | Q(territory__isnull=True)
            )
        self.fields["owner_organisation"].queryset = organisations
        if owner_only:
            for name in list(self.fields):
                if name not in (*perms.OWNER_EDITABLE, "lock_version"):
                    del self.fields[name]
        opened_on(self, decision.lock_version if decision is not None else None)

    def changes(self) -> dict:
        names = [name for name in self.fields if name != "lock_version"]
        return {name: self.cleaned_data[name] for name in names}


# --- Calendar --------------------------------------------------------------------------------------------


class CalendarFilterForm(PacteForm):
    territoire = TerritoryChoiceField(
        label="Territoire",
        queryset=Territory.objects.none(),
        required=False,
        empty_label="Tous",
        to_field_name="code",
    )
    type = forms.ChoiceField(
        label="Type d'instance", choices=[("", "Tous"), *CommitteeKind.choices], required=False
    )
    mois = forms.RegexField(
        label="Mois",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": "Indiquez un mois au format AAAA-MM, par exemple 2026-03."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].queryset = Territory.objects.filter(
            level__in=[Level.REGION, Level.DEPARTEMENT], is_active=True
        ).order_by("level", french("name"))

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


# --- Concertation ----------------------------------------------------------------------------------------


class StakeholderForm(LockForm, PacteModelForm):
    website = forms.URLField(label="Site internet", required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Stakeholder
        fields = list(STAKEHOLDER_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by(french("name"))
        opened_on(self, self.instance.lock_version if self.instance.pk else None)

    def changes(self) -> dict:
        return changes(self, STAKEHOLDER_FIELDS)


class ContributionForm(LockForm):
    theme = forms.ModelChoiceField(
        label="Thème ou question transverse", queryset=ConcertationTheme.objects.all()
    )
    title = forms.CharField(label="Titre", max_length=250)
    text = forms.CharField(label="Contribution", widget=forms.Textarea(attrs={"rows": 14}))
    file = forms.FileField(
        label="Document PDF", required=False, help_text="Facultatif ; PDF de 10 Mo au plus"
    )
    remove_file = forms.BooleanField(label="Retirer le document PDF joint", required=False)

    def __init__(self, *args, contribution=None, **kwargs):
        if contribution is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "theme": contribution.theme_id,
                "title": contribution.title,
                "text": contribution.text,
            }
        super().__init__(*args, **kwargs)
        if contribution is None or contribution.file_id is None:
            del self.fields["remove_file"]
        opened_on(self, contribution.lock_version if contribution is not None else None)


class ContributionFilterForm(PacteForm):
    theme = forms.ModelChoiceField(
        label="Thème",
        queryset=ConcertationTheme.objects.all(),
        required=False,
        to_field_name="code",
        empty_label="Tous",
    )
    famille = forms.ChoiceField(
        label="Famille d'acteurs", choices=[("", "Toutes"), *StakeholderCategory.choices], required=False
    )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class SynthesisForm(LockForm):
    text = forms.CharField(label="Synthèse", widget=forms.Textarea(attrs={"rows": 16}))

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        opened_on(self, version)
