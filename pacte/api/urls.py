from ninja import NinjaAPI

from pacte.api import (
    accounts,
    contracts,
    errors,
    governance,
    grants,
    observation,
    programme,
    sponsorship,
    territories,
    tznr,
)
from pacte.api.auth import public_auth, refuse_unusable_token

api = NinjaAPI(
    title="API du Pacte des solidarités",
    version="1",
    description=(
        "Territoires (Code officiel géographique 2026), référentiel national du Pacte (axes, mesures, cibles, "
        "calendrier), organisations, et contrats locaux des solidarités (fiches-actions, budgets, indicateurs, "
        "rapports d'exécution, crédits), indicateurs statistiques et leurs valeurs par territoire, instances de gouvernance (réunions, décisions), "
        "appels à projets et subventions attribuées, feuilles de route régionales, projets ouverts au mécénat de proximité, "
        "territoires zéro non-recours (registre, suivi, coût d'un droit ouvert). Lecture publique des données ouvertes ; écriture avec un jeton personnel "
        "(`Authorization: Bearer …`, à créer sur la page « Mon compte »). Les listes sont paginées "
        "(`page`, `page_size`) et donnent leur nombre total (`count`) ; une page au-delà de la dernière "
        "répond 404. Un jeton envoyé qui n'est pas valable (inconnu, expiré, révoqué) est refusé (401) sur "
        "toutes les opérations, lectures publiques comprises."
    ),
    urls_namespace="api",
    docs_url="/docs",
    # An operation that names no `auth` is a public read: a token sent must still be usable (pacte.api.auth).
    auth=public_auth,
    parser=errors.BodyParser(),
    docs_decorator=refuse_unusable_token,
)
errors.install(api)
api.add_router("", territories.router)
api.add_router("", programme.router)
api.add_router("", accounts.router)
api.add_router("", contracts.router)
api.add_router("", observation.router)
api.add_router("", governance.router)
api.add_router("", grants.router)
api.add_router("", sponsorship.router)
api.add_router("", tznr.router)
