"""Forms of the notified ceilings (rules in `services.allocations`): one allocation for several years at once (the
FAQ's « montants annuels plafonds constants »), a CSV import, the filters of the list."""

from django import forms

from pacte.contracts.enums import YEARS, Envelope
from pacte.core.forms import AmountField, PacteForm, TerritoryChoiceField
from pacte.territories.enums import Level
from pacte.territories.models import Territory


class AllocationForm(PacteForm):
    territory = TerritoryChoiceField(
        label="Collectivité",
        queryset=Territory.objects.none(),
        help_text="Le département (ou la collectivité à compétences départementales) ou la métropole",
    )
    envelope = forms.ChoiceField(label="Enveloppe", choices=Envelope.choices)
    years = forms.TypedMultipleChoiceField(
        label="Années",
        choices=[(year, str(year)) for year in YEARS],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Le même montant est notifié pour chaque année cochée",
    )
    amount = AmountField(label="Montant annuel notifié (€)", required=True, help_text="Par exemple 1 200 000")
    notified_on = forms.DateField(
        label="Notifié le",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reference = forms.CharField(
        label="Référence de la notification", max_length=200, required=False, help_text="Courrier, arrêté…"
    )

    def __init__(self, *args, territories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories
        self.initial.setdefault("years", list(YEARS))

    def field_for(self, path: str) -> str | None:
        """`years.2025.amount` and the like land on the field they name."""
        name = path.split(".")[-1]
        if name == "year":
            return "years"
        if name == "collectivite":
            return "territory"
        return name if name in self.fields else None


class AllocationImportForm(PacteForm):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Colonnes territoire ; enveloppe ; annee ; montant ; notifie_le ; reference (facultative). "
        "Séparateur point-virgule ou virgule, UTF-8.",
    )


class AllocationFilterForm(PacteForm):
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Territory.objects.filter(level__in=(Level.REGION, Level.COM)).order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="Toutes les régions",
    )
    envelope = forms.ChoiceField(
        label="Enveloppe", choices=[("", "Toutes"), *Envelope.choices], required=False
    )

    def filters(self) -> dict:
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}
