"""Counts in French sentences, for the reports of the loaders ("3 instances, 1 réunion")."""

from collections import Counter


def describe_counts(counts: Counter, labels: tuple[tuple[str, str, str], ...]) -> str:
    """`labels`: (key, singular, plural) in the order to show; keys with no count are left out."""
    return ", ".join(
        f"{counts[key]} {singular if counts[key] == 1 else plural}"
        for key, singular, plural in labels
        if counts[key]
    )
