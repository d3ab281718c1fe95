"""Pass colo: the State's help for a stay in a holiday camp in the calendar year of a child's 11th birthday.

Rewritten per family for batch simulations, under new names (upstream's `pass_colo` stays untouched). The formulas
read only inputs the batch engine declares (date_naissance, family roles, the foyer fiscal's rfr of year N-2) and
the `handicap` input (False when not given): no benefit, nothing that recurses into past months.
"""

import numpy
from openfisca_core.model_api import MONTH, Variable, max_, min_
from openfisca_france.entities import Famille, FoyerFiscal, Individu

DECRET_2024_277 = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000049339141"
DECRET_2024_619 = "https://www.legifrance.gouv.fr/eli/decret/2024/6/27/TSSZ2414967D/jo/texte"
PAGE_OFFICIELLE = "https://www.jeunes.gouv.fr/passcolo"


class pacte_pass_colo_ressources(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    label = "Ressources mensuelles retenues pour le Pass colo : revenu fiscal de référence N-2 des parents, divisé par 12"
    reference = [DECRET_2024_619, DECRET_2024_277, PAGE_OFFICIELLE]
    documentation = """
    Le décret (article 1er, II, dans sa rédaction issue du décret n° 2024-619) retient le revenu brut global de
    l'avant-dernière année (N-2) du ou des parents, diminué des charges déductibles, divisé par douze, auquel
    s'ajoutent les prestations sociales mensuelles perçues le mois précédant le calcul (décembre N-1).

    Approximation : le revenu fiscal de référence N-2 du ou des foyers fiscaux dont un parent de la famille est
    le déclarant principal (deux foyers pour un couple non marié, un seul sinon), divisé par 12. C'est la base
    déclarée la plus proche : elle est, comme le revenu du décret, nette des frais professionnels et des charges
    déductibles, mais elle ajoute quelques revenus exonérés et retire les abattements spéciaux. Les prestations
    mensuelles ne sont pas ajoutées (elles supposeraient de calculer les aides passées) : le quotient familial
    est sous-estimé, donc l'aide surestimée, pour les familles qui en perçoivent. Du 30 mars au 28 juin 2024,
    la version initiale du décret retenait les revenus de l'année précédente (N-1) : non modélisé.
    """

    def formula_2024_04(famille, period):
        rfr_du_foyer = famille.members.foyer_fiscal("rfr", period.n_2)
        declarant_principal = famille.members.has_role(FoyerFiscal.DECLARANT_PRINCIPAL)
        rfr_des_parents = famille.sum(rfr_du_foyer * declarant_principal, role=Famille.PARENT)
        return max_(rfr_des_parents, 0) / 12


class pacte_pass_colo_nombre_parts(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    label = "Nombre de parts du foyer pour le quotient familial du Pass colo"
    reference = [DECRET_2024_277, DECRET_2024_619]
    documentation = """
    Deux parts pour les parents ou le parent seul ; une demi-part pour chacun des deux premiers enfants, une part
    pour le troisième, une demi-part par enfant suivant ; une demi-part de plus par enfant en situation de
    handicap. Les enfants sont les membres de la famille au rôle « enfant » pendant le mois calculé (le décret
    retient la situation de janvier).
    """

    def formula_2024_04(famille, period, parameters):
        parts = parameters(period).pacte.pass_colo.parts
        nb_enfants = famille.nb_persons(Famille.ENFANT)
        nb_enfants_handicapes = famille.sum(famille.members("handicap", period), role=Famille.ENFANT)
        return (
            parts.parents
            + parts.premier_et_deuxieme_enfant * min_(nb_enfants, 2)
            + parts.troisieme_enfant * (nb_enfants >= 3)
            + parts.enfant_supplementaire * max_(nb_enfants - 3, 0)
            + parts.majoration_enfant_handicape * nb_enfants_handicapes
        )


class pacte_pass_colo_quotient_familial(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    label = "Quotient familial mensuel du Pass colo, arrondi à l'euro inférieur"
    reference = [DECRET_2024_619, DECRET_2024_277]
    documentation = """
    Ressources mensuelles (pacte_pass_colo_ressources) divisées par le nombre de parts, arrondies à l'euro
    inférieur : les seuils du barème sont des euros entiers (« entre 201 et 700 euros »).
    """

    def formula_2024_04(famille, period):
        ressources = famille("pacte_pass_colo_ressources", period)
        parts = famille("pacte_pass_colo_nombre_parts", period)
        return numpy.floor(ressources / parts)


class pacte_pass_colo_enfant_eligible(Variable):
    value_type = bool
    entity = Individu
    definition_period = MONTH
    label = "Enfant de la famille qui a 11 ans au cours de l'année civile (condition d'âge du Pass colo)"
    reference = [DECRET_2024_277, PAGE_OFFICIELLE]
    documentation = """
    Vrai pour un enfant (rôle « enfant » de la famille) né pendant l'année civile du mois calculé moins 11 ans,
    toute l'année, avant comme après son anniversaire. Jamais vrai pour un parent. Le report à l'année des
    12 ans d'une aide non utilisée n'est pas modélisé.
    """

    def formula_2024_04(individu, period, parameters):
        age_enfant = parameters(period).pacte.pass_colo.age_enfant
        date_naissance = individu("date_naissance", period)
        annee_de_naissance = date_naissance.astype("datetime64[Y]").astype(int) + 1970
        return individu.has_role(Famille.ENFANT) * (period.start.year - annee_de_naissance == age_enfant)


class pacte_pass_colo_enfant(Variable):
    value_type = float
    entity = Individu
    definition_period = MONTH
    label = "Montant du Pass colo ouvert pour cet enfant (0 pour les autres membres, parents compris)"
    reference = [DECRET_2024_277, DECRET_2024_619, PAGE_OFFICIELLE]
    documentation = """
    Montant par séjour, dû une fois pour l'année civile : la même valeur est donnée pour chaque mois de
    l'année. Il dépend du quotient familial de la famille de l'enfant (pacte_pass_colo_quotient_familial),
    nul au-delà du plafond. Remplace, pour le moteur d'accès aux droits, la variable pass_colo d'OpenFisca-France,
    inutilisable sur un lot de familles.
    """

    def formula_2024_04(individu, period, parameters):
        pass_colo = parameters(period).pacte.pass_colo
        quotient_familial = individu.famille("pacte_pass_colo_quotient_familial", period)
        sous_plafond = quotient_familial <= pass_colo.plafond_quotient_familial
        montant = pass_colo.montants.calc(quotient_familial)
        return individu("pacte_pass_colo_enfant_eligible", period) * sous_plafond * montant


class pacte_pass_colo(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    label = "Pass colo : somme des montants ouverts pour les enfants de la famille"
    reference = [DECRET_2024_277, DECRET_2024_619, PAGE_OFFICIELLE]
    documentation = """
    Somme de pacte_pass_colo_enfant sur les membres de la famille, calculée famille par famille.
    """

    def formula_2024_04(famille, period):
        return famille.sum(famille.members("pacte_pass_colo_enfant", period))
