"""Contract pages: list, creation (kind of convention), detail (kind, notified ceilings, comité de pilotage), title,
workflow from draft to signature, comments, avenants and their differences (the `world` of tests/contracts/conftest.py)."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pacte.contracts import services
from pacte.contracts.enums import ContractKind, ContractStatus, Funder
from pacte.contracts.models import BudgetLine, Comment, Contract
from pacte.governance.enums import CommitteeKind
from pacte.governance.services import steering
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ContractFactory, build_contract, france_travail_action_data
from tests.governance.factories import CommitteeFactory
from tests.helpers import is_login, keep_menu_count, page
from tests.programme.factories import AxisFactory
from tests.territories.factories import DepartementFactory

# --- List ------------------------------------------------------------------------------------------------


def test_the_public_sees_signed_contracts_but_no_draft(client, world):
    response = client.get(reverse("contracts:list"))
    assert response.status_code == 200
    assert "Vendée" in response.content.decode()
    assert "Loire-Atlantique" not in response.content.decode()


def test_the_parties_see_their_draft_in_the_list(client, world):
    for user in (world.local_a, world.ddets_a, world.commissioner, world.national):
        assert "Loire-Atlantique" in page(client, reverse("contracts:list"), user), user


def test_people_of_the_same_role_elsewhere_do_not_see_the_draft(client, world):
    for user in (world.local_c, world.ddets_c, world.commissioner_other, world.association):
        content = page(client, reverse("contracts:list"), user)
        assert "Loire-Atlantique" not in content, user
        assert "Vendée" in content


def test_the_list_matches_the_view_permission_of_each_contract(client, world):
    from pacte.contracts import perms
    from pacte.contracts.perms import visible_contracts_q

    nantes = build_contract(world.nantes, signed=False)
    contracts = [world.draft, world.signed, nantes]
    users = [
        world.local_a,
        world.local_b,
        world.local_c,
        world.ddets_a,
        world.ddets_c,
        world.commissioner,
        world.commissioner_other,
        world.national,
        world.association,
    ]
    for user in users:
        listed = set(Contract.objects.filter(visible_contracts_q(user)).values_list("pk", flat=True))
        assert listed == {c.pk for c in contracts if perms.can_view_contract(user, c)}, user


def test_the_list_shows_the_latest_version_unless_asked_for_all(client, world):
    from pacte.contracts import services

    amendment = services.create_amendment(world.signed, None, reason="Nouvelle action")
    client.force_login(world.local_b)
    latest = client.get(reverse("contracts:list")).context["page"].object_list
    assert [c.pk for c in latest if c.territory_id == world.vendee.pk] == [amendment.pk]
    everything = client.get(reverse("contracts:list"), {"versions": "toutes"}).context["page"].object_list
    assert {c.pk for c in everything if c.territory_id == world.vendee.pk} == {world.signed.pk, amendment.pk}
    # The public does not see the draft avenant: the signed version stays the latest it can see.
    client.logout()
    public = client.get(reverse("contracts:list")).context["page"].object_list
    assert [c.pk for c in public if c.territory_id == world.vendee.pk] == [world.signed.pk]


def test_the_list_filters_by_region_status_and_kind(client, world):
    build_contract(world.bouches_du_rhone, signed=True)
    build_contract(world.nantes, signed=False)
    client.force_login(world.national)

    def names(**params):
        return {
            c.territory.name
            for c in client.get(reverse("contracts:list"), params).context["page"].object_list
        }

    assert names(region="52") == {"Loire-Atlantique", "Vendée", "Nantes Métropole"}
    assert names(status=ContractStatus.SIGNED) == {"Vendée", "Bouches-du-Rhône"}
    assert names(signatory="metropole") == {"Nantes Métropole"}
    assert names(signatory="departement", region="52", status=ContractStatus.DRAFT) == {"Loire-Atlantique"}
    assert names(kind="metropole") == {"Nantes Métropole"}
    services.create_contract(world.loire_atlantique, kind=ContractKind.FRANCE_TRAVAIL)
    assert names(kind="france_travail") == {"Loire-Atlantique"}
    assert names(region="inconnue") == names()  # a wrong value is ignored, not a 500


def test_the_list_links_to_the_export_with_its_filters(client, world):
    content = client.get(reverse("contracts:list"), {"region": "52", "page": "1"}).content.decode()
    assert f"{reverse('contracts:export_contracts', args=['csv'])}?region=52" in content
    assert f"{reverse('contracts:export_contracts', args=['xlsx'])}?region=52" in content


def test_the_list_labels_demo_contracts(client, world):
    build_contract(world.bouches_du_rhone, signed=True, is_demo=True)
    assert "donnée fictive" in client.get(reverse("contracts:list")).content.decode()


def _count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("contracts:list")).status_code == 200
    return len(queries)


def test_the_list_query_count_does_not_grow_with_the_number_of_contracts(client, world):
    client.force_login(world.commissioner)
    keep_menu_count(world.commissioner)
    region = world.loire_atlantique.region
    departements = [DepartementFactory(code=str(code), parent=region) for code in range(60, 75)]
    for departement in departements[:3]:
        ContractFactory(territory=departement)
    few = _count_list_queries(client)
    for departement in departements[3:]:
        ContractFactory(territory=departement, status=ContractStatus.SIGNED)
    many = _count_list_queries(client)
    assert many == few


def test_the_new_contract_button_shows_for_who_may_create_one(client, world):
    assert "Nouvelle convention" in page(client, reverse("contracts:list"), world.ddets_a)
    assert "Nouvelle convention" not in page(client, reverse("contracts:list"), world.association)
    client.logout()
    assert "Nouvelle convention" not in client.get(reverse("contracts:list")).content.decode()


# --- Creation ----------------------------------------------------------------------------------------------


def test_the_ddets_creates_the_contract_of_a_metropole_of_its_departement(client, world):
    client.force_login(world.ddets_a)
    response = client.post(
        reverse("contracts:create"), {"territory": world.nantes.pk, "kind": "metropole", "title": ""}
    )
    contract = Contract.objects.get(territory=world.nantes)
    assert response.status_code == 302 and response.url == contract.get_absolute_url()
    assert contract.kind == ContractKind.METROPOLE and contract.annual_state_ceiling is None
    assert contract.title.endswith("Nantes Métropole")


def test_the_creation_form_offers_the_kinds_and_types_no_ceiling(client, world):
    content = page(client, reverse("contracts:create"), world.local_a)
    assert "Convention France Travail (insertion)" in content and "Convention globale unique" in content
    assert "annual_state_ceiling" not in content and "ne se saisit pas" in content


def test_the_collectivite_drafts_its_france_travail_convention_beside_its_solidarites_contract(client, world):
    client.force_login(world.local_a)
    response = client.post(
        reverse("contracts:create"), {"territory": world.loire_atlantique.pk, "kind": "france_travail"}
    )
    convention = Contract.objects.get(territory=world.loire_atlantique, kind=ContractKind.FRANCE_TRAVAIL)
    assert response.status_code == 302 and (convention.period_start, convention.period_end) == (2024, 2025)
    content = page(client, convention.get_absolute_url(), world.local_a)
    assert "Convention France Travail (insertion)" in content and "volet 3" in content
    assert "non notifié" in content


def test_a_kind_the_collectivite_may_not_sign_is_refused_on_the_kind_field(client, world):
    client.force_login(world.ddets_a)
    response = client.post(
        reverse("contracts:create"), {"territory": world.nantes.pk, "kind": "france_travail"}
    )
    assert response.status_code == 200
    assert "Une métropole signe un contrat local des solidarités de métropole" in " ".join(
        response.context["form"].errors["kind"]
    )
    response = client.post(
        reverse("contracts:create"), {"territory": world.loire_atlantique.pk, "kind": "globale"}
    )
    assert "une seule convention par enveloppe" in " ".join(response.context["form"].errors["kind"])
    assert not Contract.objects.filter(territory=world.nantes).exists()


def test_a_ddets_elsewhere_cannot_create_a_contract_for_a_metropole_outside_its_departement(client, world):
    client.force_login(world.ddets_c)
    response = client.post(reverse("contracts:create"), {"territory": world.nantes.pk, "kind": "metropole"})
    assert response.status_code == 200
    assert "Collectivité signataire" in response.content.decode()
    assert response.context["form"].errors["territory"]
    assert not Contract.objects.filter(territory=world.nantes).exists()


def test_the_creation_page_refuses_who_may_create_nothing(client, world):
    page(client, reverse("contracts:create"), world.association, status=403)
    client.logout()
    assert is_login(client.get(reverse("contracts:create")))


# --- Detail ---------------------------------------------------------------------------------------------


def test_a_party_sees_its_draft_with_readiness_problems_and_comments(client, world):
    content = page(client, reverse("contracts:detail", args=[world.draft.pk]), world.local_a)
    assert "Accompagnement vers l&#x27;emploi" in content
    assert "Négociation : commentaires" in content
    assert "Ajouter une fiche-action" in content
    assert "Soumettre à l’État" in content
    assert reverse("contracts:history", args=[world.draft.pk]) in content


def test_the_detail_shows_the_budget_by_year_and_the_state_share(client, world):
    response = client.get(reverse("contracts:detail", args=[world.signed.pk]))
    budget = response.context["budget"]
    assert budget.years == [2024, 2025, 2026, 2027]
    assert [row.label for row in budget.funder_rows] == ["État", "Collectivité"]
    assert budget.total.total == Decimal("400000")
    assert budget.state_shares == [Decimal("50.0")] * 4
    row = response.context["action_rows"][0].budget
    assert (row.state, row.local, row.state_share) == (Decimal("200000"), Decimal("200000"), Decimal("50.0"))


def _count_detail_queries(client, contract) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 200
    return len(queries)


def test_the_detail_query_count_does_not_grow_with_the_number_of_fiches_actions(client, world):
    from tests.contracts.factories import action_data

    client.force_login(world.national)
    keep_menu_count(world.national)
    small = build_contract(world.bouches_du_rhone, signed=False, actions=[action_data(title="Seule")])
    maine_et_loire = DepartementFactory(code="49", parent=world.loire_atlantique.region)
    actions = [action_data(title=f"Action {n}") for n in range(6)]
    large = build_contract(maine_et_loire, signed=False, actions=actions)
    assert _count_detail_queries(client, large) == _count_detail_queries(client, small)


def test_a_draft_is_hidden_from_a_party_of_another_departement(client, world):
    for user in (world.local_c, world.ddets_c, world.commissioner_other, world.association):
        page(client, reverse("contracts:detail", args=[world.draft.pk]), user, status=404)


def test_an_anonymous_visitor_is_asked_to_sign_in_for_a_draft_or_a_missing_contract(client, world):
    assert is_login(client.get(reverse("contracts:detail", args=[world.draft.pk])))
    assert is_login(client.get(reverse("contracts:detail", args=[999999])))


def test_a_signed_contract_is_public_with_its_signature_and_without_the_negotiation(client, world):
    response = client.get(reverse("contracts:detail", args=[world.signed.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Signé le 15 janvier 2024" in content
    assert "La préfète" in content
    assert "Négociation : commentaires" not in content
    assert reverse("contracts:history", args=[world.signed.pk]) not in content


def test_who_validated_is_shown_with_the_date(client, world):
    from pacte.contracts import services

    contract = world.draft
    contract.status = ContractStatus.NEGOTIATION
    contract.save()
    services.validate_contract(contract, world.ddets_a, side="state")
    content = page(client, reverse("contracts:detail", args=[contract.pk]), world.local_a)
    assert "État : validé par Denis Petit le" in content
    assert "Collectivité : en attente" in content
    assert "Valider pour la collectivité" in content


def test_the_contract_page_shows_the_committee_that_steers_it(client, world):
    url = reverse("contracts:detail", args=[world.signed.pk])
    assert "Comité de pilotage" not in client.get(url).content.decode()
    copil = CommitteeFactory(
        public=True, kind=CommitteeKind.OTHER, territory=world.vendee, name="COPIL du contrat local 85"
    )
    steering.link_contract(copil, world.signed)
    content = client.get(url).content.decode()
    assert 'id="comite-de-pilotage"' in content
    assert "COPIL du contrat local 85" in content and copil.get_absolute_url() in content


# --- Title -------------------------------------------------------------------------------------------------


def _edit(client, user, contract, **data):
    client.force_login(user)
    payload = {"lock_version": contract.lock_version, "title": contract.title}
    payload.update(data)
    return client.post(reverse("contracts:edit", args=[contract.pk]), payload)


def test_the_collectivite_changes_the_title_and_no_one_types_a_ceiling(client, world):
    response = _edit(client, world.local_a, world.draft, title="Nouveau titre", annual_state_ceiling="5")
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.title == "Nouveau titre" and world.draft.annual_state_ceiling is None


def test_the_contract_page_shows_its_kind_and_its_notified_ceilings(client, world):
    content = page(client, reverse("contracts:detail", args=[world.draft.pk]), world.ddets_a)
    assert "Contrat local des solidarités (département)" in content
    assert "Plafonds notifiés des crédits de l’État" in content and "1\u202f000\u202f000" in content
    assert "Modifier l’intitulé ou le plafond" not in content


def test_a_stale_title_edit_is_refused(client, world):
    opened = world.draft.lock_version
    _edit(client, world.local_a, world.draft, title="Premier")
    response = _edit(client, world.local_a, world.draft, lock_version=opened, title="Second")
    assert "modifiées par quelqu’un d’autre" in response.content.decode()
    world.draft.refresh_from_db()
    assert world.draft.title == "Premier"


def test_the_edit_page_is_refused_outside_the_parties(client, world):
    page(client, reverse("contracts:edit", args=[world.draft.pk]), world.ddets_c, status=404)
    page(client, reverse("contracts:edit", args=[world.signed.pk]), world.association, status=302)
    client.logout()
    assert is_login(client.get(reverse("contracts:edit", args=[world.draft.pk])))


def test_a_signed_contract_keeps_its_title(client, world):
    title = world.signed.title
    response = _edit(client, world.local_b, world.signed, title="Changé")
    assert response.status_code == 302 and response.url == world.signed.get_absolute_url()
    world.signed.refresh_from_db()
    assert world.signed.title == title


# --- Workflow ----------------------------------------------------------------------------------------------


def test_a_contract_goes_from_draft_to_signed_through_the_pages(client, world):
    contract = world.draft
    client.force_login(world.local_a)
    assert client.post(reverse("contracts:submit", args=[contract.pk])).status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.NEGOTIATION
    client.post(reverse("contracts:validate", args=[contract.pk]))
    client.force_login(world.ddets_a)
    client.post(reverse("contracts:validate", args=[contract.pk]))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.VALIDATED
    assert contract.local_validated_by == world.local_a
    assert contract.state_validated_by == world.ddets_a
    response = client.post(
        reverse("contracts:sign", args=[contract.pk]),
        {"signed_on": "2024-02-01", "state_signatory": "Le préfet", "local_signatory": "Le président"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED
    assert contract.signed_on == datetime.date(2024, 2, 1)
    assert contract.signature_recorded_by == world.ddets_a
    client.logout()
    assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 200


def test_only_the_collectivite_submits_its_draft(client, world):
    client.force_login(world.ddets_a)
    assert client.post(reverse("contracts:submit", args=[world.draft.pk])).status_code == 403
    client.force_login(world.local_c)
    assert client.post(reverse("contracts:submit", args=[world.draft.pk])).status_code == 404
    client.logout()
    assert is_login(client.post(reverse("contracts:submit", args=[world.draft.pk])))
    world.draft.refresh_from_db()
    assert world.draft.status == ContractStatus.DRAFT


def test_a_validation_with_problems_is_refused_with_the_reasons(client, world):
    contract = build_contract(world.nantes, signed=False, actions=[])
    client.force_login(UserFactory(metropole=True, territory=world.nantes))
    contract.status = ContractStatus.NEGOTIATION
    contract.save()
    response = client.post(reverse("contracts:validate", args=[contract.pk]), follow=True)
    assert "aucune fiche-action" in response.content.decode()
    contract.refresh_from_db()
    assert contract.local_validated_at is None


def test_the_validation_is_refused_to_a_ddets_elsewhere_and_to_the_public(client, world):
    world.draft.status = ContractStatus.NEGOTIATION
    world.draft.save()
    client.force_login(world.ddets_c)
    assert client.post(reverse("contracts:validate", args=[world.draft.pk])).status_code == 404
    client.force_login(world.association)
    assert client.post(reverse("contracts:validate", args=[world.signed.pk])).status_code == 403
    client.logout()
    assert is_login(client.post(reverse("contracts:validate", args=[world.draft.pk])))


def test_a_validated_contract_can_be_reopened_by_a_party(client, world):
    from pacte.contracts import services

    contract = world.draft
    contract.status = ContractStatus.NEGOTIATION
    contract.save()
    services.validate_contract(contract, world.ddets_a, side="state")
    services.validate_contract(contract, world.local_a, side="local")
    client.force_login(world.ddets_c)
    assert client.post(reverse("contracts:reopen", args=[contract.pk])).status_code == 404
    client.logout()
    assert is_login(client.post(reverse("contracts:reopen", args=[contract.pk])))
    client.force_login(world.local_a)
    assert client.post(reverse("contracts:reopen", args=[contract.pk])).status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.NEGOTIATION
    assert contract.state_validated_at is None and contract.local_validated_at is None


def test_a_signature_in_the_future_is_refused_naming_the_field(client, world):
    from pacte.contracts import services

    contract = world.draft
    contract.status = ContractStatus.NEGOTIATION
    contract.save()
    services.validate_contract(contract, world.ddets_a, side="state")
    services.validate_contract(contract, world.local_a, side="local")
    client.force_login(world.ddets_a)
    response = client.post(
        reverse("contracts:sign", args=[contract.pk]),
        {"signed_on": "2999-01-01", "state_signatory": "Le préfet", "local_signatory": "Le président"},
    )
    assert response.status_code == 200
    assert (
        "La date de signature ne peut pas être dans le futur." in response.context["form"].errors["signed_on"]
    )
    response = client.post(
        reverse("contracts:sign", args=[contract.pk]),
        {"signed_on": "2024-02-01", "state_signatory": "Le préfet", "local_signatory": ""},
    )
    assert response.context["form"].errors["local_signatory"] == ["Ce champ est obligatoire."]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.VALIDATED


def test_the_signature_page_is_for_the_state_side_only(client, world):
    page(client, reverse("contracts:sign", args=[world.draft.pk]), world.local_a, status=403)
    page(client, reverse("contracts:sign", args=[world.draft.pk]), world.ddets_c, status=404)
    client.logout()
    assert is_login(client.get(reverse("contracts:sign", args=[world.draft.pk])))


# --- Comments -------------------------------------------------------------------------------------------


def test_a_party_comments_the_negotiation(client, world):
    client.force_login(world.ddets_a)
    response = client.post(
        reverse("contracts:comment", args=[world.draft.pk]), {"body": "Précisez le public.", "action": "1"}
    )
    assert response.status_code == 302
    comment = Comment.objects.get(contract=world.draft)
    assert comment.author == world.ddets_a and comment.action.number == 1
    content = page(client, reverse("contracts:detail", args=[world.draft.pk]), world.local_a)
    assert "Précisez le public." in content


def test_an_empty_comment_is_refused_in_french(client, world):
    client.force_login(world.local_a)
    response = client.post(reverse("contracts:comment", args=[world.draft.pk]), {"body": "  "}, follow=True)
    assert "Votre commentaire : Ce champ est obligatoire." in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_are_refused_outside_the_parties(client, world):
    client.force_login(world.ddets_c)
    assert client.post(reverse("contracts:comment", args=[world.draft.pk]), {"body": "x"}).status_code == 404
    client.force_login(world.association)
    assert client.post(reverse("contracts:comment", args=[world.signed.pk]), {"body": "x"}).status_code == 403
    client.logout()
    assert is_login(client.post(reverse("contracts:comment", args=[world.draft.pk]), {"body": "x"}))
    assert not Comment.objects.exists()


# --- Avenants and differences -------------------------------------------------------------------------------


def _action_post_from(response) -> dict:
    """The POST data of the fiche-action form as the page shows it."""
    editor = response.context["editor"]
    data = {}
    for form in [editor.form, editor.budget, *editor.indicators.forms, editor.indicators.management_form]:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, list):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = (
                    bound.field.prepare_value(value) if not isinstance(value, str) else value
                )
    return data


def test_an_avenant_is_drafted_and_its_diff_shows_a_changed_budget_amount(client, world):
    client.force_login(world.local_b)
    response = client.post(reverse("contracts:amend", args=[world.signed.pk]), {"reason": "Hausse du budget"})
    amendment = Contract.objects.get(amends=world.signed)
    assert response.url == amendment.get_absolute_url()
    assert amendment.status == ContractStatus.DRAFT and amendment.amendment_reason == "Hausse du budget"

    form_page = client.get(reverse("contracts:action_edit", args=[amendment.pk, 1]))
    data = _action_post_from(form_page)
    data["budget-collectivite_2025"] = "80 000"
    assert client.post(reverse("contracts:action_edit", args=[amendment.pk, 1]), data).status_code == 302

    diff = client.get(reverse("contracts:diff", args=[amendment.pk]))
    changes = [(c.what, c.before, c.after) for c in diff.context["changes"]]
    assert ("budget 2025 – Collectivité", "50\u202f000\u202f€", "80\u202f000\u202f€") in changes
    assert "80\u202f000\u202f€" in diff.content.decode()
    # The signed version is unchanged.
    assert (
        BudgetLine.objects.get(action__contract=world.signed, year=2025, funder=Funder.LOCAL).amount == 50000
    )


def test_the_diff_of_a_draft_avenant_is_hidden_outside_the_parties(client, world):
    from pacte.contracts import services

    amendment = services.create_amendment(world.signed, None, reason="Révision")
    page(client, reverse("contracts:diff", args=[amendment.pk]), world.local_c, status=404)
    page(client, reverse("contracts:diff", args=[amendment.pk]), world.local_b, status=200)
    client.logout()
    assert is_login(client.get(reverse("contracts:diff", args=[amendment.pk])))


def test_the_diff_of_an_initial_contract_says_there_is_nothing_to_compare(client, world):
    response = client.get(reverse("contracts:diff", args=[world.signed.pk]))
    assert "contrat initial" in response.content.decode()


def test_an_avenant_is_refused_on_a_draft_and_outside_the_parties(client, world):
    page(client, reverse("contracts:amend", args=[world.draft.pk]), world.local_a, status=403)
    page(client, reverse("contracts:amend", args=[world.signed.pk]), world.local_c, status=403)
    client.logout()
    assert is_login(client.get(reverse("contracts:amend", args=[world.signed.pk])))
    assert not Contract.objects.filter(amends__isnull=False).exists()


def test_an_avenant_without_reason_is_refused(client, world):
    client.force_login(world.local_b)
    response = client.post(reverse("contracts:amend", args=[world.signed.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Contract.objects.filter(amends=world.signed).exists()


def test_the_pages_of_a_convention_name_its_signatory_and_its_kind(client, world):
    insertion = france_travail_action_data(AxisFactory(number=2))
    convention = build_contract(world.vendee, kind=ContractKind.FRANCE_TRAVAIL, actions=[insertion])
    content = page(client, reverse("contracts:reports", args=[convention.pk]), world.local_b)
    assert "Rapports d’exécution – Vendée – Convention France Travail" in content.replace("&#x27;", "’")
    content = page(client, reverse("contracts:reports", args=[world.signed.pk]), world.local_b)
    assert "Rapports d’exécution – Vendée – Contrat local des solidarités" in content.replace("&#x27;", "’")
