"""The named partners of the mécénat de proximité, shown on the public page with their source.

« Les entreprises s'engagent »: the seed of the Pacte names it (« un partenariat avec Les entreprises
s'engagent »). What is said of it is quoted from a dated public article; its contact is « non publié » until a
public contact is found with its source (none was found when this was written, December 2026): no address is
invented.
"""

from dataclasses import dataclass

NOT_PUBLISHED = "non publié"


@dataclass(frozen=True)
class Partner:
    name: str
    description: str
    contact: str
    source_title: str
    source_url: str


PARTNERS = (
    Partner(
        name="Les entreprises s'engagent",
        description=(
            "Communauté lancée en 2018 qui rassemble des entreprises de toutes tailles, les services de l'État et "
            "les acteurs de l'engagement des entreprises, organisée en clubs départementaux ; placée depuis 2022 "
            "sous la responsabilité d'un groupement d'intérêt public."
        ),
        contact=NOT_PUBLISHED,
        source_title="EcoRéseau Business, « Des clubs locaux pour mener des actions concrètes », 13 mai 2024",
        source_url=(
            "https://www.ecoreseau.fr/entreprendre/"
            "des-clubs-locaux-pour-mener-des-actions-concretes-engagez-vous-rengagez-vous-2024-05-13-104261"
        ),
    ),
)
