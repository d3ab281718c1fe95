import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pacte.governance.enums import ContributionStatus, StakeholderCategory
from pacte.governance.models import Contribution, ThemeSynthesis
from pacte.governance.services.concertation import load_concertation_themes, save_contribution
from tests.governance.factories import PDF, ContributionFactory, StakeholderFactory, ThemeFactory
from tests.helpers import assert_access, is_login


@pytest.fixture
def stakeholder(association_user):
    return StakeholderFactory(organisation=association_user.organisation, name="Entraide Ligérienne")


def test_published_contributions_are_public_and_filterable_by_theme_and_family(client):
    theme = ThemeFactory(title="Accès aux droits")
    ContributionFactory(published=True, theme=theme, title="Zéro non-recours")
    ContributionFactory(
        published=True,
        title="Mobilité des allocataires",
        stakeholder=StakeholderFactory(category=StakeholderCategory.SOCIAL_SECURITY),
    )
    ContributionFactory(filed=True, theme=theme, title="Pas encore publiée")
    url = reverse("governance:contributions")
    body = client.get(url).content.decode()
    assert "Zéro non-recours" in body and "Pas encore publiée" not in body
    body = client.get(url + f"?theme={theme.code}").content.decode()
    assert "Mobilité des allocataires" not in body
    body = client.get(url + "?famille=securite_sociale").content.decode()
    assert "Mobilité des allocataires" in body and "Zéro non-recours" not in body


def test_a_draft_is_seen_by_its_stakeholder_only(
    client, stakeholder, association_user, outsider_association, national
):
    draft = ContributionFactory(stakeholder=stakeholder)
    url = reverse("governance:contribution", args=[draft.pk])
    assert is_login(client.get(url))
    client.force_login(outsider_association)
    assert client.get(url).status_code == 404
    client.force_login(national)
    assert client.get(url).status_code == 404
    client.force_login(association_user)
    assert client.get(url).status_code == 200


def test_an_association_files_a_contribution_for_its_own_stakeholder(
    client, stakeholder, association_user, outsider_association
):
    theme = ThemeFactory()
    url = reverse("governance:contribution_create")
    assert is_login(client.get(url))
    client.force_login(outsider_association)
    assert client.get(url).status_code == 403
    client.force_login(association_user)
    response = client.post(
        url,
        {
            "theme": theme.pk,
            "title": "Nos propositions",
            "text": "Texte",
            "file": SimpleUploadedFile("p.pdf", PDF),
        },
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 302 and contribution.stakeholder == stakeholder
    client.post(reverse("governance:contribution_submit", args=[contribution.pk]))
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.FILED
    assert client.get(reverse("governance:contribution_edit", args=[contribution.pk])).status_code == 403


def test_a_missing_title_gets_a_french_message(client, stakeholder, association_user):
    client.force_login(association_user)
    response = client.post(
        reverse("governance:contribution_create"), {"theme": ThemeFactory().pk, "text": "Texte"}
    )
    assert response.status_code == 200 and "title" in response.context["form"].errors
    assert not Contribution.objects.exists()


def test_national_steering_publishes_and_others_cannot(
    client, stakeholder, national, association_user, commissioner
):
    contribution = ContributionFactory(stakeholder=stakeholder, filed=True)
    url = reverse("governance:contribution_publish", args=[contribution.pk])
    assert is_login(client.post(url))
    client.force_login(association_user)
    assert client.post(url).status_code == 403
    client.force_login(commissioner)
    assert client.post(url).status_code == 403
    client.force_login(national)
    client.post(url)
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PUBLISHED
    client.logout()
    assert client.get(reverse("governance:contribution", args=[contribution.pk])).status_code == 200


def test_the_attached_pdf_follows_the_contribution_visibility(
    client, stakeholder, association_user, outsider_association
):
    contribution = save_contribution(
        stakeholder,
        by=association_user,
        theme=ThemeFactory(),
        title="T",
        text="X",
        upload=SimpleUploadedFile("p.pdf", PDF),
    )
    url = reverse("governance:contribution_file", args=[contribution.pk])
    client.force_login(outsider_association)
    assert client.get(url).status_code == 404
    client.force_login(association_user)
    assert client.get(url).content == PDF


def test_the_synthesis_is_for_the_team_preparing_the_pacte(
    client, national, commissioner, association_user, stakeholder
):
    theme = ThemeFactory()
    ContributionFactory(stakeholder=stakeholder, theme=theme, filed=True, title="Déposée")
    ContributionFactory(stakeholder=stakeholder, theme=theme, title="Brouillon caché")
    url = reverse("governance:synthesis", args=[theme.code])
    assert is_login(client.get(url))
    client.force_login(association_user)
    assert client.get(url).status_code == 403
    client.force_login(commissioner)
    body = client.get(url).content.decode()
    assert "Déposée" in body and "Brouillon caché" not in body
    assert client.get(reverse("governance:synthesis_edit", args=[theme.code])).status_code == 403
    csv = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert csv.startswith("Thème;Titre;Partie prenante") and "Déposée" in csv
    client.force_login(national)
    edit = reverse("governance:synthesis_edit", args=[theme.code])
    client.post(edit, {"text": "Les associations demandent…", "lock_version": -1})
    stale = client.post(edit, {"text": "Version concurrente", "lock_version": -1})
    assert "modifiées par quelqu’un d’autre" in stale.content.decode()
    synthesis = ThemeSynthesis.objects.get()
    assert synthesis.text == "Les associations demandent…" and synthesis.author == national


def test_the_stakeholder_registry_is_public_but_contacts_and_edits_are_not(
    client, stakeholder, national, association_user
):
    url = reverse("governance:stakeholders")
    body = client.get(url).content.decode()
    assert "Entraide Ligérienne" in body and stakeholder.contact_email not in body
    client.force_login(association_user)
    assert client.get(reverse("governance:stakeholder_create")).status_code == 403
    client.force_login(national)
    assert stakeholder.contact_email in client.get(url).content.decode()
    response = client.post(
        reverse("governance:stakeholder_create"),
        {"name": "Groupe d'appui des personnes concernées", "category": "personnes_concernees"},
    )
    assert response.status_code == 302


def test_the_concertation_page_lists_the_themes_for_everyone(client):
    load_concertation_themes()
    body = client.get(reverse("governance:concertation")).content.decode()
    assert "La lutte contre la grande exclusion" in body
    assert "La lutte contre la stigmatisation des personnes en situation de pauvreté" in body


def test_my_contributions_and_review_pages(
    client, stakeholder, association_user, national, outsider_association
):
    ContributionFactory(stakeholder=stakeholder, filed=True, title="En attente")
    client.force_login(outsider_association)
    assert client.get(reverse("governance:my_contributions")).status_code == 403
    assert client.get(reverse("governance:contribution_review")).status_code == 403
    client.force_login(association_user)
    assert "En attente" in client.get(reverse("governance:my_contributions")).content.decode()
    client.force_login(national)
    assert "En attente" in client.get(reverse("governance:contribution_review")).content.decode()


def test_editing_a_stakeholder_and_a_draft(
    client, stakeholder, national, association_user, outsider_association
):
    url = reverse("governance:stakeholder_edit", args=[stakeholder.pk])
    assert_access(client, url, outsider=outsider_association, allowed=national, refused=403)
    draft = ContributionFactory(stakeholder=stakeholder)
    edit = reverse("governance:contribution_edit", args=[draft.pk])
    client.force_login(outsider_association)
    assert client.get(edit).status_code == 404
    client.force_login(association_user)
    assert client.get(edit).status_code == 200
