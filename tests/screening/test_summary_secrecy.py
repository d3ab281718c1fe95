"""Issue 15, finding 2: no aggregate of a batch computed on fewer than 11 households reaches anyone but the
uploader — not through the list of benefits of a small job, not by subtracting the probable amount from the
potential one (the « à vérifier » part), and not after the retention, when the summary is all that is kept."""

import csv as csv_module
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pacte.rights.catalogue import BENEFITS
from pacte.screening import perms, queries, secrecy
from pacte.screening.enums import AggregateLevel
from tests.screening.factories import ScreeningAggregateFactory, ScreeningJobFactory

STEERING = ["ddets44", "cd44", "commissioner52", "national"]
SECRET = secrecy.SECRET


def line(job, place, households, benefit="", **figures):
    """A line of `job` for the commune or département `place` (all benefits, or `benefit`)."""
    level = AggregateLevel.DEPARTEMENT if place.level == "departement" else AggregateLevel.COMMUNE
    return ScreeningAggregateFactory(
        job=job, territory=place, level=level, households=households, benefit=benefit, **figures
    )


def summary(client, user, job) -> dict[tuple[str, str, str], dict[str, str]]:
    """The summary CSV by (niveau, code, prestation)."""
    client.force_login(user)
    response = client.get(reverse("screening:job_summary", args=[job.pk]))
    assert response.status_code == 200
    rows = csv_module.DictReader(response.content.decode().lstrip("\ufeff").splitlines(), delimiter=";")
    return {(row["niveau"], row["code"], row["prestation"]): row for row in rows}


def page(client, user, job) -> str:
    client.force_login(user)
    response = client.get(job.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# --- A job of one household: not even which benefits it misses --------------------------------------------


def one_household_job(users, cog):
    job = ScreeningJobFactory(uploader=users["worker"], territory=cog["44"], done=True, households=1)
    for place in (cog["44109"], cog["44"]):
        line(job, place, 1, non_take_up_households=1, probable_amount=Decimal("534.29"))
        line(job, place, 1, "aspa", non_take_up_households=1, non_take_up_amount=Decimal("534.29"))
    return job


@pytest.mark.parametrize("who", STEERING)
def test_the_benefits_of_a_job_under_eleven_households_are_not_listed_to_the_steering(
    client, users, cog, who
):
    job = one_household_job(users, cog)
    rows = summary(client, users[who], job)
    assert not [key for key in rows if key[0] == queries.JOB_LEVEL]  # no « aspa » line: the household's right
    assert set(rows) == {("departement", "44", ""), ("commune", "44109", "")}
    content = page(client, users[who], job)
    assert BENEFITS["aspa"].label not in content and "534" not in content
    assert "pas donnés pour un traitement de moins de 11 foyers" in content


def test_the_uploader_still_sees_the_benefits_of_its_small_job(client, users, cog):
    job = one_household_job(users, cog)
    assert BENEFITS["aspa"].label in page(client, users["worker"], job)
    assert (
        summary(client, users["worker"], job)[(queries.JOB_LEVEL, "44", "aspa")]["foyers_non_recours"] == "1"
    )


def test_the_benefits_of_a_job_of_eleven_households_are_listed(client, users, cog):
    job = ScreeningJobFactory(uploader=users["worker"], territory=cog["44"], done=True, households=11)
    for place in (cog["44109"], cog["44"]):
        line(job, place, 11, non_take_up_households=3)
        line(job, place, 11, "rsa", non_take_up_households=3, non_take_up_amount=Decimal(1800))
    rows = summary(client, users["ddets44"], job)
    assert rows[(queries.JOB_LEVEL, "44", "rsa")]["foyers_non_recours"] == "3"  # a count among 11 households
    assert rows[(queries.JOB_LEVEL, "44", "rsa")]["montant_mensuel_non_recours"] == SECRET  # 3 households


# --- The « à vérifier » part: potential − probable ---------------------------------------------------------


def large_job(users, cog, benefits, **totals):
    """A job of 200 households in Nantes; `benefits`: (code, potential households, probable households,
    potential amount, probable amount), monthly."""
    job = ScreeningJobFactory(uploader=users["worker"], territory=cog["44"], done=True, households=200)
    for place in (cog["44109"], cog["44"]):
        line(job, place, 200, **totals)
        for code, potential, probable, potential_amount, probable_amount in benefits:
            line(
                job,
                place,
                200,
                code,
                non_take_up_households=potential,
                probable_households=probable,
                non_take_up_amount=Decimal(potential_amount),
                probable_amount=Decimal(probable_amount),
                opened_amount=Decimal(probable_amount),
            )
    return job


def test_a_benefit_s_amount_to_check_of_one_household_cannot_be_recomputed(client, users, cog):
    # RSA: 12 households potential, 11 probable: 7 000 − 6 400 would be one household's RSA « à vérifier »;
    # the territories' totals would give it too (15 000 − 14 400, the PPA being all probable).
    totals = dict(
        non_take_up_households=52,
        probable_households=51,
        non_take_up_amount=Decimal(15000),
        probable_amount=Decimal(14400),
        monthly_households=52,
        probable_monthly_households=51,
    )
    job = large_job(users, cog, [("rsa", 12, 11, "7000", "6400"), ("ppa", 40, 40, "8000", "8000")], **totals)
    rows = summary(client, users["ddets44"], job)
    rsa = rows[(queries.JOB_LEVEL, "44", "rsa")]
    assert (rsa["montant_mensuel_probable"], rsa["montant_mensuel_non_recours"]) == ("6400", SECRET)
    for key in [("commune", "44109", ""), ("departement", "44", "")]:
        assert (rows[key]["montant_mensuel_probable"], rows[key]["montant_mensuel_non_recours"]) == (
            "14400",
            SECRET,
        )
    uploader = summary(client, users["worker"], job)[(queries.JOB_LEVEL, "44", "rsa")]
    assert uploader["montant_mensuel_non_recours"] == "7000"


def test_a_hidden_amount_to_check_cannot_be_recomputed_from_the_other_benefits(client, users, cog):
    # The territories' potential and probable totals are shown (at least 20 households « à vérifier »): their
    # difference is the sum of the benefits' parts « à vérifier »; the RSA's (5 households) is hidden, so the
    # smallest other part of at least 11 households (aide au logement, 15) is hidden too; the PPA has none.
    totals = dict(
        non_take_up_households=80,
        probable_households=60,
        non_take_up_amount=Decimal(20000),
        probable_amount=Decimal(16000),
        monthly_households=80,
        probable_monthly_households=60,
    )
    benefits = [
        ("rsa", 30, 25, "9000", "7500"),
        ("aide_logement", 20, 5, "3000", "500"),
        ("ppa", 40, 40, "8000", "8000"),
    ]
    job = large_job(users, cog, benefits, **totals)
    rows = summary(client, users["commissioner52"], job)

    def potential(code):
        return rows[(queries.JOB_LEVEL, "44", code)]["montant_mensuel_non_recours"]

    assert (potential("rsa"), potential("aide_logement"), potential("ppa")) == (SECRET, SECRET, "8000")
    assert rows[("departement", "44", "")]["montant_mensuel_non_recours"] == "20000"
    assert (
        rows[(queries.JOB_LEVEL, "44", "aide_logement")]["montant_mensuel_probable"] == SECRET
    )  # 5 households


def test_an_amount_to_check_of_eleven_households_is_shown(client, users, cog):
    job = large_job(users, cog, [("rsa", 40, 29, "20000", "14000"), ("ppa", 40, 40, "8000", "8000")])
    rows = summary(client, users["national"], job)
    assert rows[(queries.JOB_LEVEL, "44", "rsa")]["montant_mensuel_non_recours"] == "20000"
    assert rows[(queries.JOB_LEVEL, "44", "ppa")]["montant_mensuel_non_recours"] == "8000"


def test_a_territory_s_amount_to_check_of_one_household_cannot_be_recomputed(client, users, cog):
    # 30 households add to the potential monthly amount, 29 to the probable one: the difference is at least
    # one household's « à vérifier » rights.
    totals = dict(
        non_take_up_households=30,
        probable_households=29,
        non_take_up_amount=Decimal(15000),
        probable_amount=Decimal(14000),
        opened_amount=Decimal(13000),
        monthly_households=30,
        probable_monthly_households=29,
        yearly_households=0,
        probable_yearly_households=0,
    )
    job = large_job(users, cog, [("rsa", 30, 29, "15000", "14000")], **totals)
    rows = summary(client, users["cd44"], job)
    for key in [("commune", "44109", ""), ("departement", "44", "")]:
        assert rows[key]["montant_mensuel_probable"] == "14000"
        assert rows[key]["montant_mensuel_non_recours"] == SECRET
    assert summary(client, users["worker"], job)[("commune", "44109", "")]["montant_mensuel_non_recours"] == (
        "15000"
    )


def test_an_amount_to_check_spread_over_benefits_is_hidden_when_nothing_says_eleven_households_hold_it(
    client, users, cog
):
    # As many households add to both amounts, yet 1 000 € differ: some household holds a probable right and
    # one « à vérifier »; nothing tells how many.
    totals = dict(
        non_take_up_households=30,
        probable_households=30,
        non_take_up_amount=Decimal(15000),
        probable_amount=Decimal(14000),
        monthly_households=30,
        probable_monthly_households=30,
    )
    job = large_job(users, cog, [("rsa", 30, 30, "14000", "14000"), ("al", 12, 11, "1000", "0")], **totals)
    nantes = summary(client, users["ddets44"], job)[("commune", "44109", "")]
    assert (nantes["montant_mensuel_probable"], nantes["montant_mensuel_non_recours"]) == ("14000", SECRET)


# --- Kept after the retention: under the secrecy for everyone ---------------------------------------------


@pytest.mark.parametrize("state", ["purged", "expired"])
def test_after_the_retention_the_uploader_sees_the_summary_under_secrecy_too(client, users, cog, state):
    job = one_household_job(users, cog)
    if state == "purged":
        job.results_name = job.rejects_name = ""
        job.results_purged_at = timezone.now()
    job.results_expire_at = timezone.now() - timedelta(days=1)
    job.save()
    content = page(client, users["worker"], job)
    assert "534" not in content and "Secret statistique" in content
    rows = summary(client, users["worker"], job)
    assert set(rows) == {("departement", "44", ""), ("commune", "44109", "")}
    assert rows[("commune", "44109", "")]["montant_mensuel_probable"] == SECRET
    assert not perms.sees_every_figure(users["worker"], job)


def test_during_the_retention_the_uploader_sees_every_figure(users, cog):
    job = one_household_job(users, cog)
    assert perms.sees_every_figure(users["worker"], job)
    assert not perms.sees_every_figure(users["ddets44"], job)
    assert not perms.sees_every_figure(users["colleague"], job)


def test_the_lines_only_the_uploader_sees_are_those_the_purge_may_delete(users, cog):
    counted = dict(
        monthly_households=1, probable_monthly_households=1, yearly_households=0, probable_yearly_households=0
    )
    job = ScreeningJobFactory(uploader=users["worker"], territory=cog["44"], done=True, households=1)
    for place in (cog["44109"], cog["44"]):
        line(job, place, 1, non_take_up_households=1, **counted)
        line(job, place, 1, "aspa", non_take_up_households=1, non_take_up_amount=Decimal("534.29"))
    assert [(row.level, row.benefit) for row in queries.uploader_only_lines(job)] == [("commune", "aspa")]
    before = queries.job_summary(job, masked=True, details=True)
    queries.uploader_only_lines(job).delete()
    assert queries.job_summary(job, masked=True, details=True) == before
    older = one_household_job(users, cog)  # no count of the households adding to each amount
    assert not queries.uploader_only_lines(older).exists()


# --- Who reaches the pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["screening:job", "screening:job_summary"])
@pytest.mark.parametrize(("who", "status"), [("ddets44", 200), ("ddets35", 403), ("cd35", 403), (None, 302)])
def test_the_job_page_and_its_summary_answer_the_steering_of_the_territory_only(
    client, users, cog, view, who, status
):
    job = one_household_job(users, cog)
    if who:
        client.force_login(users[who])
    response = client.get(reverse(view, args=[job.pk]))
    assert response.status_code == status
    if who is None:
        assert "connexion" in response["Location"]


# --- The rule for terms whose sum is known -----------------------------------------------------------------


def test_terms_hidden_anyway_count_towards_the_hidden_sum():
    sizes = {"a": 5, "b": 30, "c": 12}
    assert secrecy.hidden_among_terms(sizes) == {"a", "c"}
    assert secrecy.hidden_among_terms(sizes, also={"b"}) == {"a", "b"}  # 30 households behind the sum
    assert secrecy.hidden_among_terms({"a": 0, "b": 30}, also={"a"}) == {"a"}  # nothing behind: 0
