"""The statistical secrecy rule (no figure on fewer than 11 households), primary and secondary."""

from pacte.screening.secrecy import MIN_HOUSEHOLDS, Node, hidden, hidden_among_terms


def tree(job: int, **parts: tuple[str | None, int]) -> dict:
    nodes = {"job": Node(None, job)}
    nodes.update({key: Node(parent, size) for key, (parent, size) in parts.items()})
    return nodes


def test_the_threshold_is_insee_s_eleven_households():
    assert MIN_HOUSEHOLDS == 11


def test_ten_households_are_hidden_and_eleven_shown():
    assert hidden(tree(10, d44=("job", 10))) == {"job", "d44"}
    assert hidden(tree(11, d44=("job", 11))) == set()


def test_a_figure_on_no_household_is_shown():
    assert hidden({"amount": Node(None, 0)}) == set()


def test_a_lone_hidden_part_of_a_shown_total_hides_the_smallest_other_part():
    nodes = tree(45, d44=("job", 30), d49=("job", 12), d85=("job", 3))
    assert hidden(nodes) == {"d85", "d49"}  # else d85 = job − d44 − d49


def test_hidden_parts_that_hold_eleven_households_together_need_no_other():
    nodes = tree(50, d44=("job", 30), d49=("job", 6), d85=("job", 5), d72=("job", 9))
    assert hidden(nodes) == {"d49", "d85", "d72"}


def test_a_total_hidden_to_protect_a_neighbour_keeps_enough_of_its_parts_hidden():
    nodes = tree(
        50,
        d44=("job", 30),
        d49=("job", 15),
        d85=("job", 5),
        nantes=("d44", 30),
        angers=("d49", 12),
        cholet=("d49", 3),
        lucon=("d85", 5),
    )
    # d49 hidden to protect d85 would otherwise give away cholet + lucon (8 households) as job − d44 − angers
    assert hidden(nodes) == {"d85", "lucon", "cholet", "d49", "angers"}


def test_households_without_a_commune_do_not_give_away_the_small_communes():
    nodes = tree(
        500,
        d44=("job", 497),
        unknown=("job", 3),
        nantes=("d44", 400),
        saint_nazaire=("d44", 90),
        small=("d44", 7),
        unknown_commune=("unknown", 3),
    )
    assert hidden(nodes) == {"unknown", "unknown_commune", "small", "d44", "saint_nazaire"}


def test_tops_without_a_known_sum_do_not_protect_each_other():
    nodes = {"d44": Node(None, 30), "d85": Node(None, 3)}
    assert hidden(nodes, tops_shown=False) == {"d85"}


def test_figures_hidden_anyway_count_in_the_secondary_secrecy():
    nodes = tree(40, d44=("job", 25), d49=("job", 15))
    assert hidden(nodes) == set()
    assert hidden(nodes, also={"d49"}) == {"d49"}  # 15 households hidden: nothing more to hide


def test_overlapping_terms_of_a_known_sum_hide_one_term_of_eleven_or_more():
    assert hidden_among_terms({"rsa": 40, "ppa": 12, "aspa": 2}) == {"aspa", "ppa"}
    assert hidden_among_terms({"rsa": 40, "ppa": 12}) == set()
    assert hidden_among_terms({"aspa": 2, "asf": 0}) == {"aspa"}
