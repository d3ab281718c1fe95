"""Forms of the State credits of a convention and of the reallocations between conventions (rules in
`services.credits`)."""

from django import forms

from pacte.contracts.enums import YEARS, Envelope
from pacte.contracts.models import Contract, Credit
from pacte.core.forms import AmountField, PacteForm


class DateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)


# --- State credits ------------------------------------------------------------------------------------


class CreditForm(PacteForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    notified = AmountField(label="Crédits notifiés (€)", required=True)
    notified_on = DateField(label="Notifiés le")
    committed = AmountField(label="Crédits engagés (€)", required=True)
    committed_on = DateField(label="Engagés le")
    paid = AmountField(label="Crédits versés (€)", required=True)
    paid_on = DateField(label="Versés le")

    def __init__(self, *args, credit: Credit | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.credit = credit
        if credit is not None:
            self.initial.setdefault("lock_version", credit.lock_version)
            for name in ("notified", "committed", "paid"):
                self.initial.setdefault(name, getattr(credit, name))
            for name in ("notified_on", "committed_on", "paid_on"):
                self.initial.setdefault(name, getattr(credit, name))
        else:
            for name in ("notified", "committed", "paid"):
                self.initial.setdefault(name, "0")

    def amounts(self) -> dict:
        names = ("notified", "committed", "paid", "notified_on", "committed_on", "paid_on")
        return {name: self.cleaned_data[name] for name in names}


# --- Reallocations ------------------------------------------------------------------------------------


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contract) -> str:
        return f"{obj.signatory_name} – {obj.kind_name} ({obj.territory.code})"


class ReallocationForm(PacteForm):
    year = forms.TypedChoiceField(label="Année", coerce=int, choices=[(y, y) for y in YEARS])
    from_contract = ContractChoiceField(
        label="Contrat d'origine", queryset=Contract.objects.none(), empty_label="Choisissez un contrat"
    )
    to_contract = ContractChoiceField(
        label="Contrat bénéficiaire", queryset=Contract.objects.none(), empty_label="Choisissez un contrat"
    )
    envelope = forms.ChoiceField(
        label="Enveloppe",
        choices=[("", "Celle que les deux conventions partagent"), *Envelope.choices],
        required=False,
        help_text="À choisir entre deux conventions globales uniques, qui partagent les deux enveloppes",
    )
    amount = AmountField(label="Montant réalloué (€)", required=True)
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_contract", "to_contract"):
            self.fields[name].queryset = contracts


# --- Mid-term evaluation ------------------------------------------------------------------------------
