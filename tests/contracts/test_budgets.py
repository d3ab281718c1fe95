"""The budget arithmetic (pacte.contracts.budgets), without the database: amounts by funder, the State's share
and its cap, the order of the funders, the year × funder grid."""

from decimal import Decimal

from pacte import formatting
from pacte.contracts import budgets
from pacte.contracts.enums import Funder

D = Decimal


def line(year, funder, amount, name=""):
    return budgets.Sum(funder, D(amount), year, name)


LINES = [
    line(2024, Funder.OTHER, "5000", "CAF"),
    line(2024, Funder.LOCAL, "20000"),
    line(2024, Funder.STATE, "12250"),
    line(2025, Funder.OTHER, "1000", "ARS"),
    line(2025, Funder.STATE, "10000"),
    line(2026, Funder.STATE, "1"),  # outside the grid's years below
]


def test_amounts_split_by_funder_with_the_share_rounded_half_up():
    amounts = budgets.Amounts.of([line(2024, Funder.STATE, "12250"), line(2024, Funder.LOCAL, "87750")])
    assert (amounts.state, amounts.local, amounts.other, amounts.total) == (
        D("12250"),
        D("87750"),
        0,
        D("100000"),
    )
    assert amounts.state_share == D("12.3")  # 12,25 half up, not 12,2
    assert budgets.Amounts().state_share is None


def test_the_state_may_put_in_as_much_as_the_collectivite_but_not_more():
    assert not budgets.Amounts(D("50"), D("50")).breaks_parity
    assert not budgets.Amounts(D("40"), D("60")).breaks_parity
    assert budgets.Amounts(D("50.01"), D("49.99")).breaks_parity


def test_the_other_co_funders_never_count_in_the_collectivite_s_half():
    # State 50 %, CAF 25 %, département 25 %: within the old 50 % cap, but the State puts in twice the département.
    split = budgets.Amounts(state=D("50000"), local=D("25000"), other=D("25000"))
    assert split.state_share == D("50.0")
    assert split.breaks_parity
    message = budgets.parity_message(split, 2025)
    fifty, twenty_five = formatting.euros(50000), formatting.euros(25000)
    assert message.startswith(f"En 2025, l'État apporterait {fifty} et la collectivité {twenty_five} :")
    assert f"Les {twenty_five} des autres cofinanceurs viennent en plus" in message


def test_amounts_by_year_keep_every_year_and_add_up():
    years = budgets.by_year(LINES, [2024, 2025])
    assert list(years) == [2024, 2025, 2026]
    assert years[2025] == budgets.Amounts(D("10000"), D("0"), D("1000"))
    assert budgets.total(years.values()).total == D("48251")


def test_the_grid_orders_the_funders_and_details_the_named_co_funders():
    grid = budgets.grid(LINES, [2024, 2025])
    assert [column.label for column in grid.columns] == ["État", "Collectivité", "ARS", "CAF"]
    assert [row.label for row in grid.rows] == ["2024", "2025"]
    assert grid.rows[0].amounts == [D("12250"), D("20000"), D("0"), D("5000")]
    assert grid.rows[0].state_share == D("32.9")  # 12 250 of 37 250: 32,886…
    assert grid.total.amounts == [D("22250"), D("20000"), D("1000"), D("5000")]
    assert grid.total.state == D("22250") and grid.total.total == D("48250")
    assert [row.label for row in grid.funder_rows] == ["État", "Collectivité", "ARS", "CAF"]
    assert grid.funder_rows[0].total == D("22250")
    assert grid.year_totals == [D("37250"), D("11000")]


def test_the_grid_groups_the_co_funders_or_shows_only_the_funders_present():
    grouped = budgets.grid(LINES, [2024, 2025], detail_other=False)
    assert [column.label for column in grouped.columns] == ["État", "Collectivité", "Autres cofinanceurs"]
    only_present = budgets.grid([line(2024, Funder.LOCAL, "10")], [2024], every_party=False)
    assert [column.label for column in only_present.columns] == ["Collectivité"]
    assert budgets.grid([], [2024], every_party=False).columns == []
