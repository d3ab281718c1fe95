"""Forms of the contract pages: a contract, its filters, negotiation comments, signature and avenant; and what the
editors of several forms share (`action_forms.ActionEditor`, `pact_forms.PactEditor`): the rows kept of a formset
and the summary of every error of the page.

Forms only check what a browser may get wrong (a number that is not one, a missing date); the rules live in
`services`, whose refusals `pacte.core.forms.errors_on` puts back on the fields.
"""

from django import forms

from pacte.contracts.enums import ContractKind, ContractStatus
from pacte.contracts.models import Contract
from pacte.core.forms import LockForm, PacteForm, TerritoryChoiceField
from pacte.territories.enums import Level, SignatoryFamily
from pacte.territories.models import Territory

SIGNATORIES = [
    (SignatoryFamily.DEPARTEMENT, "Département ou collectivité à compétences départementales"),
    (SignatoryFamily.METROPOLE, "Métropole"),
]
KIND_HELP = (
    "Un département (ou une collectivité à compétences départementales : Métropole de Lyon, Ville de Paris, "
    "Collectivité de Corse…) signe un contrat local des solidarités (axes 1, 3 et 4) et une convention France "
    "Travail (axe 2, insertion, 2024-2025), ou une convention globale unique qui réunit les deux ; une métropole "
    "signe un contrat local des solidarités sur les quatre axes."
)


# --- Contracts -------------------------------------------------------------------------------------------


class ContractCreateForm(PacteForm):
    territory = TerritoryChoiceField(label="Collectivité signataire", queryset=Territory.objects.none())
    kind = forms.ChoiceField(label="Sorte de convention", choices=ContractKind.choices, help_text=KIND_HELP)
    title = forms.CharField(
        label="Intitulé",
        max_length=250,
        required=False,
        help_text="Laissez vide pour « Contrat local des solidarités 2024-2027 – nom de la collectivité » (ou "
        "« Convention France Travail 2024-2025 – … », « Convention globale unique 2024-2027 – … »)",
    )

    def __init__(self, *args, territories: list[Territory], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.filter(pk__in=[t.pk for t in territories])
        if len(territories) == 1:
            self.fields["territory"].initial = territories[0].pk


class ContractEditForm(LockForm):
    """The title, for the collectivité (the ceilings are notified by national steering, never typed here)."""

    title = forms.CharField(label="Intitulé", max_length=250)

    def __init__(self, *args, contract: Contract, **kwargs):
        kwargs.setdefault("initial", {"lock_version": contract.lock_version, "title": contract.title})
        super().__init__(*args, **kwargs)

    def changes(self) -> dict:
        return {"title": self.cleaned_data["title"]}


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
    signatory = forms.ChoiceField(
        label="Collectivité", choices=[("", "Toutes"), *SIGNATORIES], required=False
    )
    kind = forms.ChoiceField(
        label="Sorte de convention", choices=[("", "Toutes"), *ContractKind.choices], required=False
    )
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


# --- What the editors share --------------------------------------------------------------------------------


def kept_forms(formset: forms.BaseFormSet) -> list:
    """Filled-in rows of a formset that are not marked for removal (an untouched extra row has no data)."""
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


def form_summary(form: forms.Form, prefix: str, anchor: str, general: str) -> list[dict]:
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
