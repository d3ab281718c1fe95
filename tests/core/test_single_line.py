"""One-line text fields refuse control characters (issue 15, finding 3): the validator of `pacte.core.validators`
and the forms built on `pacte.core.forms.PacteFormMixin`, which apply it to every one-line text input."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from pacte.accounts.models import Organisation
from pacte.core.forms import PacteForm, PacteModelForm
from pacte.core.validators import SingleLine, control_characters, one_line, single_line


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("Comité\nde pilotage", "un retour à la ligne"),
        ("Comité\r\nde pilotage", "un retour chariot et un retour à la ligne"),
        ("Comité\tde pilotage", "une tabulation"),
        ("Comité\x00", "un caractère nul"),
        ("Comité\x1b[31m", "le caractère de contrôle U+001B"),
        ("Comité\u2028de pilotage", "un séparateur de ligne"),
        ("Comité\x85", "le caractère de contrôle U+0085"),
    ],
)
def test_a_control_character_is_refused_and_named_in_french(value, named):
    with pytest.raises(ValidationError) as refused:
        SingleLine("Intitulé")(value)
    assert refused.value.messages == [f"Le champ « Intitulé » tient sur une seule ligne : retirez {named}."]
    assert refused.value.code == "single_line"


def test_a_one_line_text_passes_accents_and_typographic_spaces_included():
    single_line("Comité régional « Pauvreté » – 1\u202f000 € à l’œuvre")
    single_line("")
    single_line(None)
    assert control_characters("Réunion\u00a0plénière") == []


def test_one_line_puts_a_saved_text_on_one_line():
    assert one_line("COPIL\r\n  de juin\t2030\x00") == "COPIL de juin 2030"


def test_the_validator_deconstructs_for_a_model_field():
    assert SingleLine("intitulé").deconstruct() == ("pacte.core.validators.SingleLine", ("intitulé",), {})
    assert SingleLine("intitulé") == SingleLine("intitulé") != SingleLine("nom")


class MeetingLikeForm(PacteForm):
    title = forms.CharField(label="Intitulé", max_length=250)
    agenda = forms.CharField(label="Ordre du jour", required=False, widget=forms.Textarea)
    reference = forms.RegexField(label="Référence", regex=r"^[\s\S]*$", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"] = forms.CharField(label="Lieu", required=False)


@pytest.mark.parametrize("name", ["title", "place", "reference"])
def test_every_one_line_input_of_a_form_refuses_a_line_break_with_its_label(name):
    data = {"title": "COPIL", "place": "", "reference": "", name: "COPIL\nde juin"}
    form = MeetingLikeForm(data)
    assert not form.is_valid()
    label = form.fields[name].label
    assert form.errors[name] == [
        f"Le champ « {label} » tient sur une seule ligne : retirez un retour à la ligne."
    ]
    assert form.error_summary()[0]["label"] == label


def test_a_nul_byte_gets_one_message_and_a_text_area_keeps_its_lines():
    form = MeetingLikeForm({"title": "COPIL\x00", "agenda": "Bilan\nFeuille de route"})
    assert not form.is_valid()
    assert form.errors["title"] == [
        "Le champ « Intitulé » tient sur une seule ligne : retirez un caractère nul."
    ]
    assert "agenda" not in form.errors
    again = MeetingLikeForm({"title": "COPIL de juin\n", "agenda": "Bilan\nFeuille de route"})
    assert again.is_valid(), again.errors  # a line break at the end is stripped, as any blank at the ends
    assert again.cleaned_data == {
        "title": "COPIL de juin",
        "agenda": "Bilan\nFeuille de route",
        "reference": "",
        "place": "",
    }


def test_validating_twice_does_not_repeat_the_message():
    form = MeetingLikeForm({"title": "CO\tPIL"})
    form.full_clean()
    form.full_clean()
    assert len(form.errors["title"]) == 1


class OrganisationNameForm(PacteModelForm):
    class Meta:
        model = Organisation
        fields = ["name"]


def test_a_field_generated_from_a_model_is_guarded_too():
    form = OrganisationNameForm({"name": "Entraide\tde test"})
    assert not form.is_valid()
    assert form.errors["name"] == ["Le champ « Nom » tient sur une seule ligne : retirez une tabulation."]


def test_every_form_of_the_site_is_built_on_the_mixin_that_guards_one_line_inputs():
    """So that a new form cannot escape the rule (the admin's forms aside)."""
    import importlib
    import inspect
    from pathlib import Path

    from django.forms import BaseForm

    from pacte.core.forms import PacteFormMixin

    root = Path(__file__).resolve().parents[2]
    escaped, seen = [], 0
    for path in sorted((root / "pacte").rglob("*forms.py")):
        module = importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseForm) and cls.__module__ == module.__name__:
                seen += 1
                if not issubclass(cls, PacteFormMixin):
                    escaped.append(f"{module.__name__}.{name}")
    assert seen > 30 and escaped == []
