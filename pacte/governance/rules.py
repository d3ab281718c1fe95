"""What the public texts say about some kinds of instance, and what the platform enforces from them (the services
call these tables; the committee page shows the notes). Each rule cites its source: document, date, address, the
sentence quoted, grade (A: official text read first-hand; B: official text quoted by the trade press; C: secondary).

- **Joint governance France Travail–solidarités** (`CommitteeKind.JOINT_GOVERNANCE`), one per département:
  seed 000 « Pacte des solidarités — Présentation aux acteurs » (18 Sept 2023, /work/shared/seeds/000, A):
  « Une gouvernance locale commune France travail et solidarités pour garantir la cohérence de l'action de l'Etat
  et une vision transversale des politiques sociales et de l'emploi » ; instruction n° DGCS/SD1B/2023/169 du
  23 novembre 2023 cited by Localtis (Dec 2023,
  https://banquedesterritoires.fr/contrats-locaux-des-solidarites-des-elements-de-cadrage-pour-les-departements-et-les-metropoles,
  B): with a single global convention « les deux parties peuvent "s'appuyer sur une gouvernance commune", cela "en
  préfiguration du comité départemental pour l'emploi" ». Its parties are the département and the préfet: it sits
  in a département and steers the département's conventions (solidarités, France Travail, or the single global
  one), not a métropole's contract. Composition: non précisée.
- **Comité départemental pour l'emploi** (`CommitteeKind.EMPLOYMENT_COMMITTEE`): the body the joint governance
  prefigured, kept as its own kind because it exists in law since 1 July 2024 with its own composition and
  missions, and a département may have run the joint governance before it. Loi n° 2023-1196 du 18 décembre 2023
  pour le plein emploi, art. 4; décret n° 2024-560 du 18 juin 2024 (https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000049746070,
  A): « Entrée en vigueur : le texte entre en vigueur le 1er juillet 2024 » — no meeting of the committee before
  that day. Co-chaired by « le préfet de département et […] le président du conseil départemental » (Centre Inffo,
  21 June 2024, https://centre-inffo.fr/?p=476691, B). Missions, art. L5311-10 of the code du travail, as listed by
  the DREETS Occitanie (4 July 2024,
  https://occitanie.dreets.gouv.fr/Loi-plein-emploi-le-decret-du-18-juin-2024-organise-les-comites-territoriaux, A):
  « participer au suivi de l'exécution des conventions conclues entre l'Etat et les régions ou départements dans le
  champ de l'emploi » — so it steers the France Travail convention or the single global convention, not a
  solidarités-only contract. Where a collectivité other than a département holds a département's powers, the
  committee covers that collectivité (art. R5311-28, https://legal.tricoteuses.fr/articles/LEGIARTI000049752212, A
  copy of Légifrance): the platform attaches it to the département's territory.
- **Comité de pilotage of a contract**: no published text found defines it or its composition (the FAQ and the
  instructions were not readable; « composition non précisée »). The closest is the « comité de suivi par axe dans
  chaque département » (seed 003, GT Pauvreté Pays de la Loire, 20 Oct 2023, A). The platform (its own reading)
  lets an instance whose territory contains the contract's steer it: a comité de suivi par axe (on an axis the
  contract's kind allows), the joint governance, the comité départemental pour l'emploi, or an « autre instance »;
  not the regional COPIL of the State services, a conference, a working group or a national body, whose roles in
  seed 003 are the coordination of the State services, the participation of the stakeholders and observation.
"""

from dataclasses import dataclass
from datetime import date

from pacte.contracts.enums import ContractKind
from pacte.governance.enums import CommitteeKind

# Kinds whose territory is one département.
DEPARTEMENT_KINDS = (CommitteeKind.JOINT_GOVERNANCE, CommitteeKind.EMPLOYMENT_COMMITTEE)

# The décret n° 2024-560 « entre en vigueur le 1er juillet 2024 ».
EMPLOYMENT_COMMITTEE_START = date(2024, 7, 1)

# The kinds of instance that may be a contract's comité de pilotage, and the kinds of contract each may steer.
STEERABLE_CONTRACT_KINDS = {
    CommitteeKind.AXIS_COMMITTEE: tuple(ContractKind),
    CommitteeKind.JOINT_GOVERNANCE: (
        ContractKind.DEPARTEMENT,
        ContractKind.FRANCE_TRAVAIL,
        ContractKind.GLOBALE,
    ),
    CommitteeKind.EMPLOYMENT_COMMITTEE: (ContractKind.FRANCE_TRAVAIL, ContractKind.GLOBALE),
    CommitteeKind.OTHER: tuple(ContractKind),
}
STEERING_KINDS = tuple(STEERABLE_CONTRACT_KINDS)


@dataclass(frozen=True)
class Note:
    """What the committee page says about a kind of instance, with its source."""

    text: str
    source: str
    url: str


KIND_NOTES = {
    CommitteeKind.AXIS_COMMITTEE: Note(
        "Un « comité de suivi par axe dans chaque département » : sa composition n’est pas précisée par les textes "
        "publiés.",
        "GT Pauvreté de la plateforme d’observation des solidarités, Pays de la Loire, 20 octobre 2023",
        "",
    ),
    CommitteeKind.JOINT_GOVERNANCE: Note(
        "Gouvernance commune de l’État et du département pour la convention France Travail et le contrat local des "
        "solidarités (ou la convention globale unique), « en préfiguration du comité départemental pour "
        "l’emploi ». Composition non précisée par les textes publiés.",
        "Instruction n° DGCS/SD1B/2023/169 du 23 novembre 2023, citée par Localtis (Banque des Territoires), "
        "décembre 2023 ; Pacte des solidarités, présentation aux acteurs, 18 septembre 2023",
        "https://banquedesterritoires.fr/contrats-locaux-des-solidarites-des-elements-de-cadrage-pour-les-"
        "departements-et-les-metropoles",
    ),
    CommitteeKind.EMPLOYMENT_COMMITTEE: Note(
        "Institué par la loi pour le plein emploi du 18 décembre 2023 ; composition et fonctionnement fixés par le "
        "décret n° 2024-560 du 18 juin 2024, en vigueur le 1er juillet 2024 : aucune réunion avant cette date. "
        "Présidé conjointement par le préfet de département et le président du conseil départemental, il "
        "participe notamment « au suivi de l’exécution des conventions conclues entre l’État et les régions ou "
        "départements dans le champ de l’emploi » (article L5311-10 du code du travail).",
        "Décret n° 2024-560 du 18 juin 2024 relatif aux comités territoriaux pour l’emploi (Légifrance)",
        "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000049746070",
    ),
}

# Shown beside the contracts an instance steers.
STEERING_NOTE = Note(
    "Aucun texte publié ne définit le comité de pilotage d’un contrat local ni sa composition (non précisée). "
    "L’instance est rattachée au contrat initial : elle pilote aussi ses avenants.",
    "Le GT Pauvreté des Pays de la Loire (20 octobre 2023) prévoit un « comité de suivi par axe dans chaque "
    "département »",
    "",
)
