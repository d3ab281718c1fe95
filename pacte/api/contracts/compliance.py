"""« À mettre en conformité »: the rows of the conventions that break a rule added since they were saved (parity,
the kind's axes and volets, contractable measures, reinforced actions, national-target units, notified ceilings,
evaluations), as the page /contrats/conformite/ lists them (`pacte.contracts.compliance`), within the reader's scope:
everything for national steering, its département for a DDETS, its région for a commissioner."""

from ninja import Field, Schema
from ninja.errors import HttpError

from pacte.api.auth import read_auth
from pacte.api.contracts.common import invalid, router
from pacte.api.errors import READ_ERRORS, ErrorsOut
from pacte.contracts import compliance, perms


class FindingOut(Schema):
    contract: int = Field(description="Identifiant de la version du contrat")
    territory: str = Field(description="Code du territoire de la convention")
    signatory: str = Field(description="La collectivité signataire")
    kind: str = Field(description="departement, france_travail, globale ou metropole")
    status: str = Field(description="Statut de la version (brouillon, negociation, valide, signe)")
    action: int | None = Field(description="Numéro de la fiche-action ; null : la convention")
    year: int | None
    rule: str = Field(description="Code de la règle (parite, axe, mesure, renforcement, unite, plafond…)")
    rule_title: str
    field: str = Field(
        description="Le chemin du champ qu'un enregistrement refusé nommerait (« budget.2025.etat »)"
    )
    field_label: str
    message: str
    how_to_fix: str
    url: str = Field(description="La page où corriger")


class RuleOut(Schema):
    code: str
    title: str
    source: str


def _finding(finding: compliance.Finding) -> dict:
    contract = finding.contract
    return {
        "contract": contract.pk,
        "territory": contract.territory.code,
        "signatory": contract.signatory_name,
        "kind": contract.kind,
        "status": contract.status,
        "action": finding.action.number if finding.action else None,
        "year": finding.year,
        "rule": finding.rule.code,
        "rule_title": finding.rule.title,
        "field": finding.field,
        "field_label": finding.field_label,
        "message": finding.message,
        "how_to_fix": finding.how_to_fix,
        "url": finding.url,
    }


@router.get(
    "/compliance/rules",
    response={200: list[RuleOut], **READ_ERRORS},
    auth=read_auth,
    summary="Les règles dont les données existantes sont contrôlées, avec leur source",
)
def compliance_rules(request):
    if not perms.can_view_compliance(request.auth):
        raise HttpError(
            403, "Seuls les DDETS, les commissaires et le pilotage national voient ces contrôles."
        )
    return [{"code": rule.code, "title": rule.title, "source": rule.source} for rule in compliance.RULES]


@router.get(
    "/compliance/",
    response={200: list[FindingOut], **READ_ERRORS, 422: ErrorsOut},
    auth=read_auth,
    summary="Les données à mettre en conformité, dans le périmètre du lecteur (DDETS, commissaires, pilotage national)",
)
def compliance_findings(request, rule: str | None = None):
    scope = perms.compliance_scope_q(request.auth)
    if scope is None:
        raise HttpError(
            403, "Seuls les DDETS, les commissaires et le pilotage national voient ces contrôles."
        )
    if rule and rule not in compliance.RULES_BY_CODE:
        raise invalid("rule", f"Règle inconnue : « {rule} » ({', '.join(compliance.RULES_BY_CODE)}).")
    return [_finding(finding) for finding in compliance.findings(compliance.Scope(scope), rule or None)]
