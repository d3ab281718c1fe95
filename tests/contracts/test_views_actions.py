"""Fiche-action pages: the form with its indicators and budget grid, errors put back on the right cell,
optimistic locking, read-only signed versions, deletion."""

from decimal import Decimal

from django.urls import reverse

from pacte import formatting
from pacte.contracts.enums import Funder
from pacte.contracts.models import Action, BudgetLine, Contract, IndicatorYearTarget
from pacte.core.forms import LOCK_VERSION_MISSING
from tests.contracts.factories import action_post
from tests.helpers import is_login, page
from tests.programme.factories import AxisFactory, MeasureFactory, TargetFactory

YEARS = (2024, 2025, 2026, 2027)


def create_url(contract: Contract) -> str:
    return reverse("contracts:action_create", args=[contract.pk])


def edit_url(contract: Contract, number: int = 1) -> str:
    return reverse("contracts:action_edit", args=[contract.pk, number])


# --- Creation -------------------------------------------------------------------------------------------


def test_the_collectivite_adds_a_fiche_action_with_indicators_and_budget(client, world):
    axis = AxisFactory(number=1)
    measure = MeasureFactory(axis=axis)
    target = TargetFactory(measure=measure, unit="jeunes")
    client.force_login(world.local_a)
    data = action_post(
        axis=axis,
        measures=[str(measure.pk)],
        other_name="CAF",
        other=("10 000", "10 000,50", "", ""),
        **{"indicateurs-0-national_target": str(target.pk)},
    )
    response = client.post(create_url(world.draft), data)
    action = Action.objects.get(contract=world.draft, number=2)
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    assert action.title == "Insertion des jeunes"
    assert list(action.measures.all()) == [measure]
    indicator = action.indicators.get()
    assert indicator.national_target == target and indicator.baseline_value == 5
    assert dict(indicator.year_targets.values_list("year", "value")) == {
        2024: 10,
        2025: 20,
        2026: 30,
        2027: 40,
    }
    other = dict(action.budget_lines.filter(funder=Funder.OTHER).values_list("year", "amount"))
    assert other == {2024: Decimal("10000"), 2025: Decimal("10000.50")}
    assert action.budget_lines.filter(funder=Funder.OTHER).first().funder_name == "CAF"


def test_the_state_side_may_read_but_not_write_a_fiche_action(client, world):
    page(client, create_url(world.draft), world.ddets_a, status=403)
    response = client.post(create_url(world.draft), action_post(axis=AxisFactory(number=1)))
    assert response.status_code == 403
    assert world.draft.actions.count() == 1


def test_a_collectivite_elsewhere_and_the_public_cannot_add_a_fiche_action(client, world):
    page(client, create_url(world.draft), world.local_c, status=404)
    client.logout()
    assert is_login(client.get(create_url(world.draft)))
    assert is_login(client.post(create_url(world.draft), action_post(axis=AxisFactory(number=1))))
    assert world.draft.actions.count() == 1


def test_parity_is_refused_on_the_state_cell_of_the_year_and_nothing_is_saved(client, world):
    client.force_login(world.local_a)
    data = action_post(
        axis=AxisFactory(number=1),
        state=("40000", "70000", "40000", "40000"),
        other_name="CAF",
        other=("", "50000", "", ""),
    )
    response = client.post(create_url(world.draft), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rien n’a été enregistré" in content
    expected = (
        f"En 2025, l'État apporterait {formatting.euros(70000)} et la collectivité {formatting.euros(60000)} : la "
        "part de l'État ne peut pas dépasser celle de la collectivité (cofinancement à parité). Les "
        f"{formatting.euros(50000)} des autres cofinanceurs viennent en plus et ne comptent pas dans la part de la "
        "collectivité."
    )
    assert response.context["editor"].budget.errors["etat_2025"] == [expected]
    assert not response.context["editor"].budget.non_field_errors()
    summary = response.context["error_summary"]
    assert any(item["message"] == expected and item["label"] == "Budget – État – 2025" for item in summary)
    assert "fr-input-group--error" in cell_of(content, "id_budget-etat_2025")
    assert world.draft.actions.count() == 1
    assert not Action.objects.filter(title="Insertion des jeunes").exists()


def test_the_state_may_put_in_as_much_as_the_collectivite(client, world):
    client.force_login(world.local_a)
    data = action_post(axis=AxisFactory(number=1), state=("60000",) * 4, local=("60000",) * 4)
    assert client.post(create_url(world.draft), data).status_code == 302
    assert world.draft.actions.count() == 2


def cell_of(html: str, field_id: str) -> str:
    """The table cell (td) holding the input `field_id`."""
    return next(cell for cell in html.split("<td") if f'id="{field_id}"' in cell)


def test_missing_fields_are_named_in_the_error_summary(client, world):
    client.force_login(world.local_a)
    response = client.post(create_url(world.draft), action_post(axis=AxisFactory(number=1), title=""))
    summary = response.context["error_summary"]
    assert {"label": "Intitulé", "message": "Ce champ est obligatoire.", "anchor": "id_title"} in summary
    assert world.draft.actions.count() == 1


def test_an_unnamed_cofunder_is_refused_on_its_name(client, world):
    client.force_login(world.local_a)
    data = action_post(axis=AxisFactory(number=1), other=("1000", "", "", ""))
    response = client.post(create_url(world.draft), data)
    errors = response.context["editor"].budget.errors
    assert "Nommez l'autre cofinanceur" in errors["autre1_name"][0]
    assert world.draft.actions.count() == 1


def test_a_measure_of_another_axis_is_refused(client, world):
    axis = AxisFactory(number=1)
    other_measure = MeasureFactory(axis=AxisFactory(number=3))
    client.force_login(world.local_a)
    response = client.post(create_url(world.draft), action_post(axis=axis, measures=[str(other_measure.pk)]))
    assert response.context["editor"].form.errors["measures"] == [
        "Les mesures choisies doivent appartenir à l'axe de la fiche-action."
    ]


def test_a_fractional_count_target_is_refused_on_its_year(client, world):
    client.force_login(world.local_a)
    response = client.post(
        create_url(world.draft), action_post(axis=AxisFactory(number=1), targets=("10", "12,5", "30", "40"))
    )
    indicator_form = response.context["editor"].indicators.forms[0]
    assert "n'est pas un nombre entier" in indicator_form.errors["target_2025"][0]
    summary = response.context["error_summary"]
    assert any(item["label"] == "Indicateur n°1 – Cible 2025" for item in summary)
    assert world.draft.actions.count() == 1


def test_a_mistyped_amount_is_refused_by_the_form(client, world):
    client.force_login(world.local_a)
    response = client.post(
        create_url(world.draft), action_post(axis=AxisFactory(number=1), local=("beaucoup", "1", "1", "1"))
    )
    assert response.context["editor"].budget.errors["collectivite_2024"] == ["Saisissez un nombre."]


# --- Edition and locking --------------------------------------------------------------------------------


def test_the_edit_form_opens_with_the_current_values(client, world):
    client.force_login(world.local_a)
    response = client.get(edit_url(world.draft))
    editor = response.context["editor"]
    assert editor.form["title"].value() == "Accompagnement vers l'emploi"
    assert editor.budget["etat_2024"].value() == "50000"
    assert 'value="50000"' in response.content.decode()
    assert editor.indicators.forms[0]["target_2027"].value() == "100"


def test_two_concurrent_edits_keep_the_first_and_refuse_the_second(client, world):
    action = world.draft.actions.get()
    axis = action.axis
    opened = action.lock_version
    client.force_login(world.local_a)
    first = action_post(axis=axis, title="Première version", lock_version=opened, indicators_initial=1)
    assert client.post(edit_url(world.draft), first).status_code == 302
    second = action_post(
        axis=axis, title="Seconde version", lock_version=opened, indicators_initial=1, local=("90000",) * 4
    )
    response = client.post(edit_url(world.draft), second)
    assert response.status_code == 200
    content = response.content.decode()
    assert "modifiées par quelqu’un d’autre" in content
    assert 'value="Seconde version"' in content  # the user's input is kept
    action.refresh_from_db()
    assert action.title == "Première version"
    assert action.budget_lines.get(year=2024, funder=Funder.LOCAL).amount == Decimal("60000")


def test_an_edit_without_the_version_it_was_opened_with_is_refused(client, world):
    action = world.draft.actions.get()
    client.force_login(world.local_a)
    response = client.post(edit_url(world.draft), action_post(axis=action.axis, indicators_initial=1))
    assert response.status_code == 200
    assert response.context["editor"].form.non_field_errors() == [LOCK_VERSION_MISSING]


def test_a_signed_contract_refuses_edits_and_stays_unchanged(client, world):
    action = world.signed.actions.get()
    before = list(BudgetLine.objects.filter(action=action).values_list("year", "funder", "amount"))
    client.force_login(world.local_b)
    response = client.get(edit_url(world.signed))
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    data = action_post(
        axis=action.axis, title="Changé", lock_version=action.lock_version, indicators_initial=1
    )
    response = client.post(edit_url(world.signed), data, follow=True)
    assert "Ce contrat est signé" in response.content.decode()
    action.refresh_from_db()
    assert action.title == "Accompagnement vers l'emploi"
    assert list(BudgetLine.objects.filter(action=action).values_list("year", "funder", "amount")) == before
    page(client, create_url(world.signed), world.local_b, status=302)
    assert world.signed.actions.count() == 1


def test_the_edit_page_is_refused_to_the_state_to_parties_elsewhere_and_to_the_public(client, world):
    page(client, edit_url(world.draft), world.ddets_a, status=403)
    page(client, edit_url(world.draft), world.ddets_c, status=404)
    page(client, edit_url(world.draft), world.local_c, status=404)
    client.logout()
    assert is_login(client.get(edit_url(world.draft)))


def test_removing_an_indicator_deletes_its_targets(client, world):
    action = world.draft.actions.get()
    client.force_login(world.local_a)
    data = action_post(
        axis=action.axis,
        lock_version=action.lock_version,
        indicators_initial=1,
        **{"indicateurs-0-DELETE": "on"},
    )
    assert client.post(edit_url(world.draft), data).status_code == 302
    assert not action.indicators.exists()
    assert not IndicatorYearTarget.objects.filter(indicator__action=action).exists()


# --- Read-only page ---------------------------------------------------------------------------------------


def test_a_signed_fiche_action_is_public_and_read_only(client, world):
    response = client.get(reverse("contracts:action", args=[world.signed.pk, 1]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Personnes accompagnées" in content
    assert "50\u202f000\u202f€" in content
    assert "Modifier" not in content
    assert response.context["budget"].state_shares == [Decimal("50.0")] * 4


def test_a_draft_fiche_action_is_hidden_outside_the_parties(client, world):
    url = reverse("contracts:action", args=[world.draft.pk, 1])
    page(client, url, world.local_a, status=200)
    page(client, url, world.local_c, status=404)
    client.logout()
    assert is_login(client.get(url))
    assert client.get(reverse("contracts:action", args=[world.signed.pk, 9])).status_code == 404


# --- Deletion ---------------------------------------------------------------------------------------------


def test_the_collectivite_deletes_a_fiche_action(client, world):
    action = world.draft.actions.get()
    client.force_login(world.local_a)
    url = reverse("contracts:action_delete", args=[world.draft.pk, 1])
    assert client.get(url).status_code == 200
    response = client.post(url, {"lock_version": action.lock_version})
    assert response.status_code == 302
    assert not world.draft.actions.exists()


def test_a_stale_deletion_is_refused(client, world):
    action = world.draft.actions.get()
    client.force_login(world.local_a)
    url = reverse("contracts:action_delete", args=[world.draft.pk, 1])
    response = client.post(url, {"lock_version": action.lock_version + 1})
    assert "modifiées par quelqu’un d’autre" in response.content.decode()
    assert world.draft.actions.exists()


def test_the_deletion_is_refused_to_the_state_elsewhere_and_the_public(client, world):
    url = reverse("contracts:action_delete", args=[world.draft.pk, 1])
    client.force_login(world.ddets_a)
    assert client.post(url, {"lock_version": 0}).status_code == 403
    client.force_login(world.ddets_c)
    assert client.post(url, {"lock_version": 0}).status_code == 404
    client.logout()
    assert is_login(client.post(url, {"lock_version": 0}))
    client.force_login(world.local_b)
    assert (
        client.post(
            reverse("contracts:action_delete", args=[world.signed.pk, 1]), {"lock_version": 0}
        ).status_code
        == 302
    )
    assert world.draft.actions.exists() and world.signed.actions.exists()


# --- Reinforced actions and national targets in the form (J2) -----------------------------------------------


def test_a_reinforced_action_is_saved_with_its_reinforcement_indicator(client, world):
    client.force_login(world.local_a)
    data = action_post(
        axis=AxisFactory(number=1),
        nature="renforcee",
        reinforcement="file_active",
        targets=("10", "20", "30", "40"),
        **{"indicateurs-0-is_reinforcement": "on"},
    )
    assert client.post(create_url(world.draft), data).status_code == 302
    assert Action.objects.get(contract=world.draft, number=2).indicators.get().is_reinforcement


def test_a_reinforcement_target_below_the_baseline_shows_on_its_year(client, world):
    client.force_login(world.local_a)
    data = action_post(
        axis=AxisFactory(number=1),
        nature="renforcee",
        reinforcement="nouvelles_zones",
        targets=("10", "4", "30", "40"),
        **{"indicateurs-0-is_reinforcement": "on"},
    )
    response = client.post(create_url(world.draft), data)
    assert response.status_code == 200
    form = response.context["editor"].indicators.forms[0]
    assert form.errors["target_2025"] == [
        "La cible 2025 (4) doit dépasser la valeur de départ (5) : un renforcement augmente la file active, les "
        "publics ou les zones couverts."
    ]
    assert world.draft.actions.count() == 1


def test_a_national_target_of_another_unit_shows_on_its_field(client, world):
    target = TargetFactory(unit="places", label="Places en crèche")
    client.force_login(world.local_a)
    response = client.post(
        create_url(world.draft),
        action_post(axis=AxisFactory(number=1), **{"indicateurs-0-national_target": str(target.pk)}),
    )
    form = response.context["editor"].indicators.forms[0]
    assert (
        "l'indicateur doit être en « places » pour s'y additionner, pas en « jeunes »"
        in form.errors["national_target"][0]
    )
    assert "Places en crèche en 2027 (places)" in response.content.decode().replace("&#x27;", "'")


def test_the_form_offers_the_axes_and_contractable_measures_of_the_convention_s_kind(client, world):
    insertion = MeasureFactory(axis=AxisFactory(number=2), title="Mesure d'insertion")
    national = MeasureFactory(axis=AxisFactory(number=1), national=True, title="Mesure nationale")
    offered = MeasureFactory(
        axis=AxisFactory(number=1), local_contract=True, title="Mesure contractualisable"
    )
    AxisFactory(number=3)
    client.force_login(world.local_a)
    form = client.get(create_url(world.draft)).context["editor"].form
    assert list(form.fields["axis"].queryset.values_list("number", flat=True)) == [1, 3]  # not axis 2
    assert list(form.fields["measures"].queryset) == [offered]
    assert "volet" not in form.fields
    assert (
        insertion not in form.fields["measures"].queryset and national not in form.fields["measures"].queryset
    )
