"""Statistical secrecy of the access-to-rights aggregates: no figure computed on fewer than 11 households.

The rule is INSEE's frequency rule for data on persons drawn from tax files (the household file describes
incomes as a tax return does): « une cellule concernant une personne physique concernant moins de 11 unités ne
doit pas être diffusée » (Insee, *Manuel de protection des tableaux*, annexe « Règles », « Règles pour les
données fiscales (provenant de la DGFiP) », https://inseefrlab.github.io/manuel-protection-tableaux/chapters/annexes/regles.html).

Applied to every aggregate shown to someone who did not upload the households (job pages and summaries, the
NRPE indicator), and to the uploader too once the per-household results are past their retention (the
summary is then all that is kept):

- **primary secrecy**: a count or a share is shown when the households it is computed on (the households
  screened in the territory) are at least MIN_HOUSEHOLDS; an amount when the households adding to it (those
  with a potential non-take-up) are at least MIN_HOUSEHOLDS, or none (0 €);
- **secondary secrecy**, so that a hidden figure cannot be recomputed by subtraction: when a shown total (the
  job, a département) has hidden parts that together hold fewer than MIN_HOUSEHOLDS households not given away
  by a shown figure, its smallest shown parts are hidden too (with enough of their own parts) until they hold
  at least MIN_HOUSEHOLDS;
- **an amount and its parts**: a potential amount is its probable part plus its part « à vérifier » (the
  households whose right is due but not established from the file alone); the part « à vérifier » is a figure
  of its own (primary and secondary secrecy on the households behind it), and the potential amount is shown
  only where both parts could be, else « potential − probable » would give the part away.

Pure arithmetic on keys and sizes: `hidden(nodes)` takes the tree of one figure (each node: its parent and the
households it is computed on) and returns the nodes not to show.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

MIN_HOUSEHOLDS = 11
SECRET = "secret"  # what a CSV cell says in place of a hidden figure
SECRET_LABEL = "secret statistique"  # what a page says


@dataclass(frozen=True)
class Node:
    """A figure of a tree: `parent` (None for a top figure), `size` the households it is computed on."""

    parent: Hashable | None
    size: int


def hidden(nodes: Mapping[Hashable, Node], *, tops_shown: bool = True, also: Iterable = ()) -> set:
    """The keys of `nodes` not to show (primary and secondary secrecy, see the module's docstring).

    A shown figure is known, and so is the sum of its hidden parts: the households of the hidden figures at the
    bottom of the tree under those parts (the others are shown, or follow from shown ones) must then be none or
    at least MIN_HOUSEHOLDS, or more parts are hidden, the smallest first (a part hidden this way has enough of
    its own parts hidden too). `tops_shown`: whether the sum of the figures without a parent is known (a job's
    départements add up to the job); False when nothing above them is shown (the NRPE's départements). `also`:
    keys hidden anyway (an amount whose count is hidden), taken into account by the secondary secrecy.
    """
    secret = {key for key, node in nodes.items() if 0 < node.size < MIN_HOUSEHOLDS} | set(also)
    children: dict[Hashable | None, list[Hashable]] = defaultdict(list)
    for key, node in nodes.items():
        if node.size > 0:
            children[node.parent].append(key)

    def unrevealed(key: Hashable) -> int:
        """Households under a hidden figure that no shown figure gives away."""
        parts = children.get(key, [])
        if not parts:
            return nodes[key].size
        return sum(unrevealed(part) for part in parts if part in secret)

    def conceal(key: Hashable, need: int) -> None:
        """Hide `key`, and enough of its parts for `need` of its households to stay unrevealed."""
        secret.add(key)
        for part in _smallest_first(nodes, (part for part in children.get(key, []) if part not in secret)):
            if unrevealed(key) >= need:
                return
            conceal(part, need - unrevealed(key))

    queue: list[Hashable | None] = [None]
    while queue:
        total = queue.pop(0)
        parts = children.get(total, [])
        queue.extend(parts)
        known = tops_shown if total is None else total not in secret
        if not known:
            continue
        for part in _smallest_first(nodes, (part for part in parts if part not in secret)):
            mass = sum(unrevealed(other) for other in parts if other in secret)
            if not 0 < mass < MIN_HOUSEHOLDS:
                break
            conceal(part, MIN_HOUSEHOLDS - mass)
    return secret


def _smallest_first(nodes: Mapping[Hashable, Node], keys: Iterable[Hashable]) -> list[Hashable]:
    return sorted(keys, key=lambda key: (nodes[key].size, str(key)))


def hidden_among_terms(sizes: Mapping[Hashable, int], *, also: Iterable = ()) -> set:
    """The terms of a sum not to show, when the sum itself is known: the terms under MIN_HOUSEHOLDS
    households and, if the hidden terms add up to a figure on fewer than MIN_HOUSEHOLDS households, the smallest
    other term of at least MIN_HOUSEHOLDS. For terms whose households may overlap (the benefits of the same
    households), where only the largest hidden term bounds the households behind the hidden sum from below.
    `also`: terms hidden anyway (a part of an amount whose other part is hidden), counted in the hidden sum; a
    hidden sum on no household (every hidden term of size 0) is 0 and gives nothing away."""
    secret = {key for key, size in sizes.items() if 0 < size < MIN_HOUSEHOLDS} | set(also)
    behind = max((sizes.get(key, 0) for key in secret), default=0)
    if 0 < behind < MIN_HOUSEHOLDS:
        larger = sorted(
            (size, str(key), key)
            for key, size in sizes.items()
            if size >= MIN_HOUSEHOLDS and key not in secret
        )
        if larger:
            secret.add(larger[0][2])
    return secret
