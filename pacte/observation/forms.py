"""Form of the upload page of national steering: the file and the options of `pacte observation import`.

The form only checks what a browser may get wrong (a year that is not a number); everything about the file
itself is checked by `importers.import_file`, whose errors (UnusableFileError, a services error) the view puts
back on the field they concern with `pacte.core.forms.errors_on` (`field_for` maps the importer's names).
"""

from django import forms

from pacte import formatting
from pacte.core.forms import PacteForm
from pacte.observation.importers import FORCED_LEVELS, max_size

ACCEPTED = ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# UnusableFileError's field ("file", "indicators"…) → field of this form.
ERROR_FIELDS = {
    "file": "fichier",
    "indicators": "indicateurs",
    "level": "niveau",
    "year": "annee",
    "sheet": "feuille",
}


class ImportForm(PacteForm):
    failed_batch = None  # the ImportBatch recording a failed import, once the importer refused the file

    fichier = forms.FileField(
        label="Fichier CSV ou XLSX",
        allow_empty_file=True,  # the importer says so, and records the failed import
        error_messages={"required": "Choisissez le fichier à importer."},
    )
    indicateurs = forms.CharField(
        label="Indicateurs",
        required=False,
        max_length=500,
        help_text=(
            "Codes des indicateurs à importer (TP60, MED), ou association d'une colonne du fichier à un "
            "indicateur (ALL_RSA=NB_RSA), séparés par des virgules. Vide : toutes les colonnes reconnues."
        ),
    )
    niveau = forms.ChoiceField(
        label="Niveau des territoires",
        required=False,
        choices=[("", "Déduit des codes (commune, EPCI, département)"), *FORCED_LEVELS.items()],
        help_text="Obligatoire pour un fichier de régions : leurs codes ressemblent à ceux des départements.",
    )
    annee = forms.IntegerField(
        label="Année",
        required=False,
        min_value=1900,
        max_value=2100,
        help_text="Pour les colonnes sans millésime (TP60 au lieu de TP6021) ; format AAAA.",
        error_messages={"invalid": "Saisissez une année sur quatre chiffres, par exemple 2021."},
    )
    feuille = forms.CharField(
        label="Feuille du classeur",
        required=False,
        max_length=100,
        help_text="Classeur XLSX seulement ; par défaut, la première feuille.",
    )
    essai = forms.BooleanField(
        label="Essai : vérifier le fichier et compter les valeurs sans rien enregistrer", required=False
    )
    fictif = forms.BooleanField(
        label="Données fictives (démonstration, formation) : marquées « donnée fictive », elles ne remplacent "
        "jamais une valeur réelle",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        upload = self.fields["fichier"]
        upload.help_text = (
            f"Taille maximale : {formatting.file_size(max_size())}. Formats : CSV (INSEE, CAF open data, format long "
            "Pacte) ou classeur XLSX ; le format est détecté."
        )
        self["fichier"].help_text = upload.help_text  # the bound field, built by DsfrBaseForm, keeps a copy
        upload.widget.attrs.update({"class": "fr-upload", "accept": ACCEPTED})
        upload.widget.group_class = "fr-upload-group fr-input-group"  # fr-input-group: spacing and error bar
        self.fields["annee"].widget.attrs.update({"inputmode": "numeric", "placeholder": "2021"})

    def import_options(self) -> dict:
        """The keyword arguments of `import_file` (besides the file)."""
        data = self.cleaned_data
        return {
            "indicators": [data["indicateurs"]] if data["indicateurs"] else None,
            "level": data["niveau"] or None,
            "year": data["annee"],
            "sheet": data["feuille"].strip() or None,
            "dry_run": data["essai"],
            "demo": data["fictif"],
        }

    def field_for(self, path: str) -> str | None:
        """The importer names the choice at fault in English ("file", "year"…); anything else is about the file."""
        return ERROR_FIELDS.get(path, "fichier")

    def add_service_errors(self, error) -> None:
        """The messages on their fields, and the record of a failed import (`failed_batch`) kept for the page."""
        self.failed_batch = getattr(error, "batch", None)
        super().add_service_errors(error)
