"""Human titles of the source documents that the référentiel cites by file name."""

SEED_TITLES = {
    "000_ffdb588009e9a993.txt": "Pacte des solidarités, présentation aux acteurs, 18 septembre 2023",
    "003_15a36d82a2e300cb.txt": (
        "Pacte des solidarités en Pays de la Loire, Plateforme d'observation des solidarités – GT Pauvreté, "
        "20 octobre 2023"
    ),
    "004_85426b19c922e20e.txt": "Le Pacte des solidarités : organisation et déroulement de la concertation",
}


def source_title(source_file: str) -> str:
    """The document's title for a seed file name; any other source is already a title."""
    return SEED_TITLES.get(source_file, source_file)
