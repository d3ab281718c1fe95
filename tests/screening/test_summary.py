"""A job's summary under the statistical secrecy: no figure on fewer than 11 households for the steering, every
figure for the uploader (who has the list of its households anyway), on the job page and in the summary CSV;
both monthly totals (as computed, and once every probable right is opened) and the yearly aids per year."""

import csv as csv_module
from decimal import Decimal

import pytest
from django.urls import reverse

from pacte.rights.catalogue import BENEFITS
from tests.helpers import count_queries
from tests.screening.factories import ScreeningAggregateFactory, ScreeningJobFactory
from tests.territories.factories import CommuneFactory

STEERING = ["ddets44", "cd44", "commissioner52", "national"]
SECRET = "secret"


def territory(job, place, households, probable, amount="0", benefits=(), **more):
    """The all-benefits line of a commune or département of `job` (`probable` households with a probable
    non-take-up, adding `amount` per month), and one line per (benefit, households, amount)."""
    level = "departement" if place.level == "departement" else "commune"
    ScreeningAggregateFactory(
        job=job,
        territory=place,
        level=level,
        households=households,
        non_take_up_households=more.pop("non_take_up_households", probable),
        probable_households=probable,
        probable_amount=Decimal(amount),
        **more,
    )
    for code, count, benefit_amount in benefits:
        yearly = BENEFITS[code].period == "annee"
        ScreeningAggregateFactory(
            job=job,
            territory=place,
            level=level,
            benefit=code,
            households=households,
            non_take_up_households=count,
            non_take_up_amount=Decimal(0 if yearly else benefit_amount),
            non_take_up_yearly_amount=Decimal(benefit_amount if yearly else 0),
            probable_yearly_amount=Decimal(benefit_amount if yearly else 0),
        )


def done(users, cog, households):
    return ScreeningJobFactory(
        uploader=users["worker"], territory=cog["44"], done=True, households=households
    )


def page(client, user, job) -> str:
    client.force_login(user)
    response = client.get(job.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def summary(client, user, job) -> dict[tuple[str, str, str], dict[str, str]]:
    """The summary CSV by (niveau, code, prestation)."""
    client.force_login(user)
    response = client.get(reverse("screening:job_summary", args=[job.pk]))
    assert response.status_code == 200
    rows = csv_module.DictReader(response.content.decode().lstrip("\ufeff").splitlines(), delimiter=";")
    return {(row["niveau"], row["code"], row["prestation"]): row for row in rows}


def one_household_job(users, cog):
    job = done(users, cog, 1)
    for place in (cog["44109"], cog["44"]):
        territory(job, place, 1, 1, "534.29", benefits=[("aspa", 1, "534.29")])
    return job


@pytest.mark.parametrize("who", STEERING)
def test_the_steering_never_sees_the_amounts_of_a_job_of_one_household(client, users, cog, who):
    job = one_household_job(users, cog)
    content = page(client, users[who], job)
    assert "534" not in content and ">secret<" in content
    assert "aucun chiffre n’est donné sur moins de 11 foyers" in content
    rows = summary(client, users[who], job)
    assert not [row for row in rows.values() if "534,29" in row.values()]
    nantes = rows[("commune", "44109", "")]
    assert set(list(nantes.values())[5:]) == {SECRET}
    assert ("commune", "44109", "aspa") not in rows  # per territory and benefit: the uploader's only


def test_the_uploader_sees_every_figure_of_its_own_job_of_one_household(client, users, cog):
    job = one_household_job(users, cog)
    content = page(client, users["worker"], job)
    assert "534\u202f€" in content and "Secret statistique" not in content
    aspa = summary(client, users["worker"], job)[("commune", "44109", "aspa")]
    assert (aspa["foyers_examines"], aspa["foyers_non_recours"], aspa["montant_mensuel_non_recours"]) == (
        "1",
        "1",
        "534,29",
    )


@pytest.mark.parametrize(("households", "shown"), [(10, False), (11, True)])
def test_a_territory_of_ten_households_is_secret_and_one_of_eleven_is_shown(
    client, users, cog, households, shown
):
    job = done(users, cog, households)
    for place in (cog["44109"], cog["44"]):
        territory(job, place, households, 3)
    nantes = summary(client, users["ddets44"], job)[("commune", "44109", "")]
    counts = (nantes["foyers_examines"], nantes["foyers_non_recours_probable"])
    assert counts == ((str(households), "3") if shown else (SECRET, SECRET))
    row = page(client, users["cd44"], job).split("Nantes (commune 44109)")[1].split("</tr>")[0]
    assert (f"<td>{households}</td><td>3</td><td>27\u202f%</td>" in row) is shown
    assert (row.count(">secret<") == 6) is not shown


def test_an_amount_is_shown_from_eleven_households_adding_to_it(client, users, cog):
    job = done(users, cog, 200)
    benefits = [("rsa", 40, "25000"), ("ppa", 11, "2200"), ("aspa", 2, "1068.58"), ("pass_colo", 12, "3600")]
    for place in (cog["44109"], cog["44"]):
        territory(job, place, 200, 45, "28268.58", benefits=benefits, probable_yearly_amount=Decimal(3600))
    rows = summary(client, users["national"], job)
    nantes = rows[("commune", "44109", "")]
    assert (nantes["foyers_examines"], nantes["foyers_non_recours_probable"]) == ("200", "45")
    assert nantes["montant_mensuel_probable"] == "28268,58"  # at least 40 households add to it
    assert nantes["montant_annuel_probable"] == "3600"  # per year, 12 households
    assert rows[("traitement", "44", "rsa")]["montant_mensuel_non_recours"] == "25000"
    # ASPA: 2 households; the prime d'activité is hidden too, or ASPA = total − RSA − PPA.
    assert rows[("traitement", "44", "aspa")]["montant_mensuel_non_recours"] == SECRET
    assert rows[("traitement", "44", "ppa")]["montant_mensuel_non_recours"] == SECRET
    assert rows[("traitement", "44", "aspa")]["foyers_non_recours"] == "2"  # a count among 200 households
    assert ("departement", "44", "rsa") not in rows


def test_the_yearly_aids_are_shown_per_year_on_the_job_page(client, users, cog):
    job = done(users, cog, 200)
    for place in (cog["44109"], cog["44"]):
        territory(job, place, 200, 20, "0", benefits=[("pass_colo", 12, "3600")], probable_yearly_amount=3600)
    content = page(client, users["ddets44"], job)
    colo = content.split(BENEFITS["pass_colo"].label)[1].split("</tr>")[0]
    assert "3\u202f600\u202f€ par an" in colo


def test_a_small_commune_cannot_be_recomputed_from_its_departement(client, users, cog):
    job = done(users, cog, 150)
    territory(job, cog["44"], 150, 64, "30000")
    territory(job, cog["44109"], 120, 50, "25000")  # amounts: 2 + 12 households hidden below, enough
    territory(job, cog["44190"], 25, 12, "4000")
    territory(job, CommuneFactory(code="44184", name="Saint-Molf", parent=cog["44"]), 5, 2, "1000")
    rows = summary(client, users["ddets44"], job)

    def figures(code):
        row = rows[("departement" if len(code) == 2 else "commune", code, "")]
        return row["foyers_examines"], row["montant_mensuel_probable"]

    assert figures("44") == ("150", "30000")
    assert figures("44109") == ("120", "25000")
    assert figures("44184") == (SECRET, SECRET)  # 5 households
    assert figures("44190") == (SECRET, SECRET)  # else 150 − 120 − 25 gives the 5 away


def test_a_job_before_the_household_file_v2_shows_what_it_computed(client, users, cog):
    job = done(users, cog, 40)
    for place in (cog["44109"], cog["44"]):
        ScreeningAggregateFactory(
            job=job, territory=place, level=place.level, households=40, non_take_up_households=20, older=True
        )
    nantes = summary(client, users["worker"], job)[("commune", "44109", "")]
    assert (nantes["foyers_non_recours"], nantes["foyers_non_recours_probable"]) == ("20", "")
    assert "Nantes (commune 44109)" in page(client, users["ddets44"], job)


@pytest.mark.parametrize("who", ["worker", "ddets44"])
def test_the_job_page_runs_as_many_queries_whatever_the_number_of_communes(client, users, cog, who):
    def queries(communes: int) -> int:
        job = done(users, cog, 20 * communes)
        territory(
            job, cog["44"], 20 * communes, 10 * communes, "100", benefits=[("rsa", 10 * communes, "100")]
        )
        for number in range(communes):
            commune = CommuneFactory(code=f"44{900 + number}", parent=cog["44"])
            territory(job, commune, 20, 10, "100", benefits=[("rsa", 10, "100")])
        return count_queries(client, job.get_absolute_url(), users[who])

    assert queries(3) == queries(12)


@pytest.mark.parametrize(("contributors", "shown"), [(24, True), (None, False)])
def test_an_amount_spread_over_benefits_is_shown_when_the_line_counts_its_households(
    client, users, cog, contributors, shown
):
    job = done(users, cog, 100)
    spread = [("rsa", 8, "5000"), ("ppa", 9, "1800"), ("af", 7, "1000")]
    for place in (cog["44109"], cog["44"]):
        territory(job, place, 100, 24, "7800", benefits=spread, probable_monthly_households=contributors)
    nantes = summary(client, users["ddets44"], job)[("commune", "44109", "")]
    # 24 households add to the amount; without their count, the largest benefit's (9) is all that is known.
    assert nantes["montant_mensuel_probable"] == ("7800" if shown else SECRET)
