"""The rules of the pactes locaux (pacte.contracts.services.pacts): perimeter, priorities, priority publics,
signatories and their contribution; the regional envelopes and the commissioner's split; the collected actions
within the département's share. Each rule: an allowed case and a refused one, the French message on its field."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pacte.contracts.models.pacts import LocalPact, PactAction, PactAllocation
from pacte.contracts.services import pacts as services
from pacte.contracts.services.pacts import PactActionData, PriorityRow, SignatoryRow
from pacte.core.locking import StaleEditError
from tests.accounts.factories import OrganisationFactory
from tests.contracts.pact_factories import envelope, make_pact, make_pact_cast


@pytest.fixture
def cast():
    return make_pact_cast()


def rows(*titles, ids=()):
    return [
        PriorityRow(
            title=title,
            action_plan=f"Plan {title}",
            pilot="CAF",
            technical_committee="Trimestriel",
            pk=ids[index] if index < len(ids) else None,
        )
        for index, title in enumerate(titles)
    ]


def save(pact=None, *, territory=None, priorities=None, publics=("enfants",), **fields):
    return services.save_local_pact(
        pact,
        territory=territory,
        title=fields.pop("title", "Pacte local"),
        diagnostic_summary=fields.pop("diagnostic_summary", "Diagnostic"),
        priorities=priorities if priorities is not None else rows("Enfance"),
        priority_publics=list(publics),
        **fields,
    )


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


# --- The pact ----------------------------------------------------------------------------------------------


def test_a_pact_keeps_its_perimeter_publics_and_priorities(cast):
    pact = save(
        territory=cast.loire_atlantique,
        priorities=rows("Enfance", "Travailleurs pauvres"),
        publics=["travailleurs_pauvres", "enfants"],
        perimeter=[cast.carene, cast.reze],
    )
    assert pact.priority_publics == ["enfants", "travailleurs_pauvres"]  # in the order of the instruction
    assert pact.priority_public_labels() == ["Les enfants", "Les travailleurs pauvres"]
    assert set(pact.perimeter.all()) == {cast.carene, cast.reze}
    assert list(pact.priorities.values_list("rank", "title")) == [(1, "Enfance"), (2, "Travailleurs pauvres")]


def test_the_perimeter_stays_inside_the_pact_territory(cast):
    messages = refusal(lambda: save(territory=cast.loire_atlantique, perimeter=[cast.la_roche]))
    assert messages["perimeter"] == [
        "Le périmètre ne compte que des EPCI ou des communes de Loire-Atlantique : La Roche-sur-Yon n'en fait "
        "pas partie."
    ]
    assert not LocalPact.objects.exists()


def test_a_metropole_pact_perimeter_holds_its_member_communes_only(cast):
    assert save(territory=cast.nantes, perimeter=[cast.reze]).perimeter.get() == cast.reze
    LocalPact.objects.all().delete()
    messages = refusal(lambda: save(territory=cast.nantes, perimeter=[cast.saint_nazaire]))
    assert "Saint-Nazaire n'en fait pas partie" in messages["perimeter"][0]


def test_the_perimeter_holds_no_departement(cast):
    messages = refusal(lambda: save(territory=cast.loire_atlantique, perimeter=[cast.loire_atlantique]))
    assert messages["perimeter"] == [
        "Le périmètre ne compte que des EPCI ou des communes (Loire-Atlantique)."
    ]


def test_a_pact_names_at_least_one_priority_public(cast):
    messages = refusal(lambda: save(territory=cast.loire_atlantique, publics=[]))
    assert messages["priority_publics"] == [
        "Choisissez au moins un des publics prioritaires du pacte : les enfants, les femmes, les familles "
        "monoparentales, les travailleurs pauvres."
    ]
    messages = refusal(lambda: save(territory=cast.loire_atlantique, publics=["retraites"]))
    assert messages["priority_publics"][0].startswith("Public inconnu : retraites.")


def test_each_priority_has_its_pilot_and_action_plan(cast):
    empty = rows("Enfance")
    empty[0].pilot = " "
    messages = refusal(lambda: save(territory=cast.loire_atlantique, priorities=empty))
    assert messages["priorities[0].pilot"] == ["Priorité n°1 : indiquez son pilote."]
    messages = refusal(lambda: save(territory=cast.loire_atlantique, priorities=rows("1", "2", "3", "4")))
    assert messages["priorities"] == ["Un pacte local compte de 1 à 3 priorités (4 saisies)."]


def test_priorities_keep_their_identity_when_reordered(cast):
    pact = save(territory=cast.loire_atlantique, priorities=rows("Enfance", "Emploi"))
    first, second = pact.priorities.order_by("rank")
    save(pact, priorities=rows("Emploi", "Enfance", ids=[second.pk, first.pk]))
    assert list(pact.priorities.values_list("pk", "rank")) == [(second.pk, 1), (first.pk, 2)]


def test_a_priority_with_collected_actions_cannot_be_removed(cast):
    pact = make_pact(cast.loire_atlantique, priorities=2)
    first, second = pact.priorities.order_by("rank")
    services.save_pact_action(None, pact=pact, data=action_data(second))
    messages = refusal(lambda: save(pact, priorities=rows("Priorité 1", ids=[first.pk])))
    assert messages["priorities"] == [
        "La priorité « Priorité 2 » porte 1 action recueillie : rattachez-la à une autre priorité avant de la "
        "retirer."
    ]
    assert pact.priorities.count() == 2
    save(pact, priorities=rows("Priorité 1", "Priorité 2", ids=[first.pk, second.pk]))


def test_each_signatory_says_its_contribution(cast):
    caf = OrganisationFactory(name="CAF de Loire-Atlantique", territory=cast.loire_atlantique)
    pact = make_pact(cast.loire_atlantique)
    signatories = [
        SignatoryRow(
            organisation_id=caf.pk, contribution="Des travailleurs sociaux", amount=Decimal("20000")
        ),
        SignatoryRow(name="ARS Pays de la Loire", contribution="Une médiatrice santé"),
    ]
    save(pact, signatories=signatories, priorities=rows("Priorité 1", ids=[pact.priorities.get().pk]))
    assert [(s.display_name, s.contribution, s.amount) for s in pact.signatories.all()] == [
        ("CAF de Loire-Atlantique", "Des travailleurs sociaux", Decimal("20000.00")),
        ("ARS Pays de la Loire", "Une médiatrice santé", None),
    ]
    signatories[1].contribution = ""
    messages = refusal(lambda: save(pact, signatories=signatories))
    assert messages["signatories[1].contribution"] == [
        "Signataire n°2 : indiquez sa contribution (le pacte mentionne la contribution de chaque institution)."
    ]


def test_a_signatory_is_an_organisation_of_the_territory_or_a_name(cast):
    pact = make_pact(cast.loire_atlantique)
    elsewhere = OrganisationFactory(name="CAF des Bouches-du-Rhône", territory=cast.bouches_du_rhone)
    local = OrganisationFactory(name="CCAS de Nantes", territory=cast.nantes)
    messages = refusal(
        lambda: save(
            pact,
            signatories=[
                SignatoryRow(organisation_id=elsewhere.pk, contribution="x"),
                SignatoryRow(organisation_id=local.pk, name="CCAS", contribution="x"),
                SignatoryRow(contribution="x"),
                SignatoryRow(organisation_id=local.pk, contribution="x"),
                SignatoryRow(organisation_id=local.pk, contribution="x"),
            ],
        )
    )
    assert messages["signatories[0].organisation"] == [
        "Signataire n°1 : cette organisation n'intervient ni dans la région ni dans le département du pacte."
    ]
    assert messages["signatories[1].name"] == [
        "Signataire n°2 : choisissez une organisation ou écrivez un nom, pas les deux."
    ]
    assert messages["signatories[2].name"] == [
        "Signataire n°3 : choisissez une organisation ou écrivez son nom."
    ]
    assert messages["signatories[4].organisation"] == [
        "Signataire n°5 : cette organisation signe déjà le pacte."
    ]


def test_a_signed_pact_does_not_change(cast):
    pact = make_pact(cast.vendee, signed=True)
    assert refusal(lambda: save(pact)) == {
        "signed_on": ["Ce pacte local est signé : il ne peut plus être modifié."]
    }


# --- The regional envelopes --------------------------------------------------------------------------------


def test_national_steering_enters_a_regional_envelope(cast):
    row = services.save_pact_envelope(
        None, region=cast.pays_de_la_loire, year=2025, amount=Decimal("450000"), reference="Notification"
    )
    assert (row.region, row.year, row.amount, row.reference) == (
        cast.pays_de_la_loire,
        2025,
        Decimal("450000"),
        "Notification",
    )
    messages = refusal(
        lambda: services.save_pact_envelope(None, region=cast.pays_de_la_loire, year=2025, amount=Decimal(1))
    )
    assert messages["year"] == [
        "L'enveloppe 2025 de la région Pays de la Loire est déjà saisie : modifiez-la."
    ]


def test_an_envelope_is_a_regions_for_a_year_of_the_pacte_with_an_amount(cast):
    messages = refusal(
        lambda: services.save_pact_envelope(None, region=cast.vendee, year=2030, amount=Decimal(0))
    )
    assert messages == {
        "region": ["Une enveloppe des pactes locaux est attribuée à une région."],
        "year": ["L'année doit être comprise entre 2024 et 2027."],
        "amount": ["Le montant de l'enveloppe régionale doit être supérieur à 0 €."],
    }


def test_an_envelope_cannot_fall_below_what_is_shared(cast):
    row = envelope(cast.pays_de_la_loire, amount="100000", d44="60000", d85="30000")
    services.save_pact_envelope(row, amount=Decimal("90000"))
    messages = refusal(lambda: services.save_pact_envelope(row, amount=Decimal("89999")))
    assert messages["amount"] == [
        "Le montant de l'enveloppe régionale ne peut pas être inférieur à ce que le commissaire a déjà réparti "
        "(90\u202f000\u202f€)."
    ]


def test_the_commissioner_shares_the_envelope_among_the_departements(cast):
    row = envelope(cast.pays_de_la_loire, amount="100000", d85="10000")
    services.share_pact_envelope(
        row,
        {cast.loire_atlantique.pk: Decimal("70000"), cast.vendee.pk: Decimal("0")},
        by=cast.commissioner,
    )
    assert dict(PactAllocation.objects.values_list("departement__code", "amount")) == {"44": Decimal("70000")}
    row.refresh_from_db()
    assert row.shared_by == cast.commissioner and row.shared_at is not None


def test_the_split_does_not_exceed_the_envelope(cast):
    row = envelope(cast.pays_de_la_loire, amount="100000")
    messages = refusal(
        lambda: services.share_pact_envelope(
            row, {cast.loire_atlantique.pk: Decimal("70000"), cast.vendee.pk: Decimal("40000")}
        )
    )
    assert messages == {
        "amounts": [
            "La répartition (110\u202f000\u202f€) dépasse l'enveloppe régionale (100\u202f000\u202f€) de "
            "10\u202f000\u202f€."
        ]
    }
    assert not PactAllocation.objects.exists()


def test_the_split_stays_within_the_region(cast):
    row = envelope(cast.pays_de_la_loire, amount="100000")
    messages = refusal(lambda: services.share_pact_envelope(row, {cast.bouches_du_rhone.pk: Decimal("1")}))
    assert messages == {"amounts": ["Ce département n'est pas de la région Pays de la Loire."]}


def test_a_share_does_not_fall_below_what_the_actions_use(cast):
    row = envelope(cast.pays_de_la_loire, amount="100000", d44="50000")
    pact = make_pact(cast.nantes)  # a métropole's pact uses its département's share
    services.save_pact_action(None, pact=pact, data=action_data(pact.priorities.get(), state="30000"))
    services.share_pact_envelope(row, {cast.loire_atlantique.pk: Decimal("30000")})
    messages = refusal(
        lambda: services.share_pact_envelope(row, {cast.loire_atlantique.pk: Decimal("29999")})
    )
    assert messages == {
        "amount_44": [
            "Loire-Atlantique : les actions de ses pactes locaux utilisent déjà 30\u202f000\u202f€ en 2025 ; sa "
            "part ne peut pas être inférieure."
        ]
    }


def test_a_stale_split_is_refused(cast):
    row = envelope(cast.pays_de_la_loire)
    opened = row.lock_version
    services.share_pact_envelope(row, {cast.vendee.pk: Decimal("1000")}, expected_version=opened)
    with pytest.raises(StaleEditError):
        services.share_pact_envelope(row, {cast.vendee.pk: Decimal("2000")}, expected_version=opened)
    assert PactAllocation.objects.get().amount == Decimal("1000")


# --- The collected actions ---------------------------------------------------------------------------------


def action_data(priority, *, state="0", year=2025, **fields) -> PactActionData:
    values = {
        "priority_id": priority.pk,
        "title": "Maison des familles",
        "description": "Un lieu d'accueil des familles monoparentales.",
        "carrier": "CCAS de Saint-Nazaire",
        "publics": ["familles_monoparentales"],
        "year": year,
        "state_amount": Decimal(state),
    }
    values.update(fields)
    return PactActionData(**values)


def test_an_action_is_recorded_within_the_departements_share(cast):
    envelope(cast.pays_de_la_loire, amount="100000", d44="50000")
    departement_pact, metropole_pact = make_pact(cast.loire_atlantique), make_pact(cast.nantes)
    first = services.save_pact_action(
        None, pact=departement_pact, data=action_data(departement_pact.priorities.get(), state="30000")
    )
    assert (first.number, first.state_amount, first.status) == (1, Decimal("30000"), "prevue")
    messages = refusal(
        lambda: services.save_pact_action(
            None, pact=metropole_pact, data=action_data(metropole_pact.priorities.get(), state="20001")
        )
    )
    assert messages == {
        "state_amount": [
            "Les crédits des pactes locaux de Loire-Atlantique en 2025 (50\u202f000\u202f€) sont déjà utilisés à "
            "hauteur de 30\u202f000\u202f€ : cette action peut en recevoir au plus 20\u202f000\u202f€."
        ]
    }
    services.save_pact_action(
        None, pact=metropole_pact, data=action_data(metropole_pact.priorities.get(), state="20000")
    )
    # Updating an action does not count its own credits twice.
    services.save_pact_action(
        first, pact=departement_pact, data=action_data(departement_pact.priorities.get(), state="30000")
    )


def test_an_action_gets_no_credits_before_the_envelope_is_shared(cast):
    envelope(cast.pays_de_la_loire, amount="100000", d85="50000")
    pact = make_pact(cast.loire_atlantique)
    messages = refusal(
        lambda: services.save_pact_action(None, pact=pact, data=action_data(pact.priorities.get(), state="1"))
    )
    assert messages["state_amount"] == [
        "Aucune part de l'enveloppe régionale 2025 des pactes locaux n'est attribuée à Loire-Atlantique : les "
        "crédits des pactes locaux de cette action restent à 0 € tant que le commissaire n'a pas réparti "
        "l'enveloppe."
    ]
    assert (
        services.save_pact_action(None, pact=pact, data=action_data(pact.priorities.get())).state_amount == 0
    )


def test_an_action_belongs_to_a_priority_of_its_pact_and_names_its_publics(cast):
    pact, other = make_pact(cast.loire_atlantique), make_pact(cast.vendee)
    messages = refusal(
        lambda: services.save_pact_action(
            None, pact=pact, data=action_data(other.priorities.get(), publics=[], year=2030)
        )
    )
    assert messages == {
        "priority": ["Choisissez une des priorités du pacte."],
        "publics": [
            "Choisissez au moins un des publics prioritaires que l'action vise : les enfants, les femmes, les "
            "familles monoparentales, les travailleurs pauvres."
        ],
        "year": ["L'année des crédits est comprise entre 2024 et 2027."],
    }
    action = services.save_pact_action(
        None, pact=pact, data=action_data(pact.priorities.get(), publics=[], other_publics="Étudiants")
    )
    assert action.other_publics == "Étudiants"


def test_a_done_action_gives_the_people_reached_and_an_abandoned_one_says_why(cast):
    pact = make_pact(cast.loire_atlantique)
    priority = pact.priorities.get()
    messages = refusal(
        lambda: services.save_pact_action(None, pact=pact, data=action_data(priority, status="realisee"))
    )
    assert messages == {"people_reached": ["Une action réalisée indique le nombre de personnes touchées."]}
    messages = refusal(
        lambda: services.save_pact_action(None, pact=pact, data=action_data(priority, status="abandonnee"))
    )
    assert messages == {"follow_up": ["Indiquez dans le suivi pourquoi l'action est abandonnée."]}
    action = services.save_pact_action(
        None, pact=pact, data=action_data(priority, status="realisee", people_reached=120), by=cast.ddets_a
    )
    assert (action.people_reached, action.updated_by) == (120, cast.ddets_a)


def test_actions_are_recorded_after_the_signature_and_a_stale_edit_is_refused(cast):
    pact = make_pact(cast.vendee, signed=True)
    action = services.save_pact_action(None, pact=pact, data=action_data(pact.priorities.get()))
    opened = action.lock_version
    services.save_pact_action(
        action,
        pact=pact,
        data=action_data(pact.priorities.get(), follow_up="Ouverte"),
        expected_version=opened,
    )
    with pytest.raises(StaleEditError):
        services.save_pact_action(
            action,
            pact=pact,
            data=action_data(pact.priorities.get(), follow_up="Autre"),
            expected_version=opened,
        )
    assert PactAction.objects.get().follow_up == "Ouverte"
