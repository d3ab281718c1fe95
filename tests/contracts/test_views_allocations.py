"""The pages of the notified ceilings: the list (national steering: France; a commissioner: its région and its
total), the notification form and the CSV import (national steering only), their exports."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pacte.contracts.enums import Envelope
from pacte.contracts.models import NotifiedAllocation
from tests.contracts.factories import ContractFactory, notify_ceiling
from tests.helpers import is_login, page

LIST = reverse("contracts:allocations")
NOTIFY = reverse("contracts:allocations_notify")
IMPORT = reverse("contracts:allocations_import")


def test_national_steering_sees_every_ceiling_and_the_national_amounts(client, world):
    content = page(client, LIST, world.national)
    assert "Loire-Atlantique" in content and "Vendée" in content
    assert "Solidarités (départements)" in content and "montant national : 90\u202f000\u202f000" in content
    assert "Notifier un plafond" in content


def test_a_commissioner_sees_the_total_of_its_region_only(client, world):
    notify_ceiling(ContractFactory(territory=world.bouches_du_rhone), "700000")
    content = page(client, LIST, world.commissioner)
    assert "Total de la région Pays de la Loire par enveloppe" in content
    assert "Vendée" in content and "Bouches-du-Rhône" not in content
    assert "2\u202f000\u202f000" in content  # Loire-Atlantique + Vendée, 1 000 000 € each in 2024
    assert "Notifier un plafond" not in content
    other = page(client, LIST, world.commissioner_other)
    assert "Bouches-du-Rhône" in other and "Vendée" not in other


def test_the_list_is_refused_to_the_other_roles_and_asks_an_anonymous_visitor_to_sign_in(client, world):
    page(client, LIST, world.ddets_a, status=403)
    page(client, LIST, world.local_a, status=403)
    client.logout()
    assert is_login(client.get(LIST))


def test_national_steering_notifies_a_ceiling_for_several_years_at_once(client, world):
    client.force_login(world.national)
    response = client.post(
        NOTIFY,
        {
            "territory": world.nantes.pk,
            "envelope": Envelope.METROPOLES,
            "years": ["2024", "2025"],
            "amount": "400 000",
            "notified_on": "2024-01-15",
            "reference": "Courrier",
        },
    )
    assert response.status_code == 302 and response.url == LIST
    assert sorted(
        NotifiedAllocation.objects.filter(envelope=Envelope.METROPOLES).values_list("year", "amount")
    ) == [
        (2024, Decimal("400000")),
        (2025, Decimal("400000")),
    ]


def test_a_wrong_envelope_is_refused_on_its_field_and_nothing_is_written(client, world):
    client.force_login(world.national)
    before = NotifiedAllocation.objects.count()
    response = client.post(
        NOTIFY,
        {
            "territory": world.nantes.pk,
            "envelope": Envelope.SOLIDARITES,
            "years": ["2024", "2025"],
            "amount": "1",
            "notified_on": "2024-01-15",
        },
    )
    assert response.status_code == 200
    assert "reçoit ses crédits sur" in " ".join(response.context["form"].errors["envelope"])
    assert NotifiedAllocation.objects.count() == before


def test_only_national_steering_notifies_or_imports(client, world):
    for url in (NOTIFY, IMPORT, reverse("contracts:allocations_model")):
        page(client, url, world.commissioner, status=403)
        page(client, url, world.ddets_a, status=403)
        client.logout()
        assert is_login(client.get(url))
        page(client, url, world.national)


def test_an_import_reports_each_faulty_line_and_writes_nothing(client, world):
    client.force_login(world.national)
    before = NotifiedAllocation.objects.count()
    data = "territoire;enveloppe;annee;montant;notifie_le\n44;france_travail;2024;300000;15/01/2024\n44;solidarites;2030;1;15/01/2024\n"
    response = client.post(IMPORT, {"file": SimpleUploadedFile("plafonds.csv", data.encode())})
    content = response.content.decode()
    assert response.status_code == 200 and "Rien n’a été importé" in content
    assert "Ligne 3, colonne « annee » : l&#x27;année doit être comprise entre 2024 et 2027" in content
    assert NotifiedAllocation.objects.count() == before
    data = "territoire;enveloppe;annee;montant;notifie_le\n44;france_travail;2024;300000;15/01/2024\n"
    response = client.post(IMPORT, {"file": SimpleUploadedFile("plafonds.csv", data.encode())})
    assert response.status_code == 302
    assert NotifiedAllocation.objects.get(envelope=Envelope.FRANCE_TRAVAIL).amount == Decimal("300000")


def test_the_export_follows_the_scope_of_the_reader(client, world):
    client.force_login(world.commissioner)
    content = client.get(reverse("contracts:allocations_export", args=["csv"])).content.decode("utf-8-sig")
    assert "Vendée" in content and "Plafond 2024 (€)" in content
    client.force_login(world.ddets_a)
    assert client.get(reverse("contracts:allocations_export", args=["csv"])).status_code == 403
