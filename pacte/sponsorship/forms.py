"""Forms of the mécénat de proximité; the services check the data and their messages land on these fields."""

from django import forms

from pacte.core.forms import AmountField, PacteForm
from pacte.sponsorship.enums import PledgeKind
from pacte.territories.enums import Level
from pacte.territories.models import Territory


class CompanyForm(PacteForm):
    name = forms.CharField(label="Raison sociale", max_length=200)
    siret = forms.CharField(
        label="SIRET",
        max_length=20,
        help_text="14 chiffres : le SIREN suivi du numéro d'établissement (NIC).",
    )
    address = forms.CharField(label="Adresse", max_length=250)
    commune = forms.CharField(
        label="Code INSEE de la commune",
        max_length=5,
        help_text="5 caractères, par exemple 44109 pour Nantes (ce n'est pas le code postal).",
    )
    contact_name = forms.CharField(label="Personne à contacter", max_length=200)
    contact_email = forms.EmailField(label="Adresse électronique de contact")
    publish_name = forms.BooleanField(
        label="L'entreprise accepte que son nom soit publié sur les pages publiques du mécénat",
        required=False,
    )

    def clean_commune(self):
        code = self.cleaned_data["commune"].strip().upper()
        commune = Territory.objects.filter(level=Level.COMMUNE, code=code, is_active=True).first()
        if commune is None:
            raise forms.ValidationError("Aucune commune en vigueur n'a ce code INSEE.")
        return commune


class CompanyDecisionForm(PacteForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("valider", "Valider l'entreprise"), ("refuser", "Refuser l'entreprise")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Motif du refus", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(PacteForm):
    money_wanted = AmountField(label="Montant recherché (€)")
    skills_wanted = forms.CharField(
        label="Compétences recherchées", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    goods_wanted = forms.CharField(
        label="Biens recherchés (mécénat en nature)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label="Date limite", widget=forms.DateInput(attrs={"type": "date"}))
    association_consent = forms.BooleanField(
        label=(
            "L'association accepte que le titre du projet, son nom, la commune et les besoins soient publiés "
            "sur la page publique du mécénat"
        ),
        required=False,
    )


class PledgeForm(PacteForm):
    company = forms.ModelChoiceField(label="Entreprise", queryset=None, empty_label="Choisissez")
    kind = forms.ChoiceField(label="Nature du mécénat", choices=PledgeKind.choices)
    amount = AmountField(label="Montant (€)", help_text="Pour un mécénat financier.")
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Pour un mécénat de compétences ou en nature : ce qui est proposé.",
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class AnswerForm(PacteForm):
    note = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeliverForm(PacteForm):
    note = forms.CharField(
        label="Ce qui a été donné",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Montant versé, jours de compétences, biens remis.",
    )
