"""The page « À mettre en conformité »: the rows of the conventions of the reader's scope that break a rule added
since they were saved (`pacte.contracts.compliance`), for the DDETS, the regional commissioners and national
steering; in CSV or XLSX too. Nothing is changed from here: each row links to where it is corrected."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path

from pacte.contracts import compliance, perms
from pacte.contracts.views.common import breadcrumb
from pacte.core.exports import export_response

TITLE = "À mettre en conformité"
HEADER = [
    "Territoire",
    "Convention",
    "Statut de la version",
    "Fiche-action",
    "Règle",
    "Champ",
    "Ce qui ne respecte pas la règle",
    "Correction",
    "Adresse",
]


@login_required
def compliance_list(request):
    scope = perms.compliance_scope_q(request.user)
    if scope is None:
        raise PermissionDenied
    rule = request.GET.get("regle") or None
    if rule not in compliance.RULES_BY_CODE:
        rule = None
    found = compliance.findings(compliance.Scope(scope), rule)
    fmt = request.GET.get("format")
    if fmt:
        rows = (
            [
                finding.contract.territory.name,
                str(finding.contract),
                finding.contract.get_status_display(),
                finding.subject,
                finding.rule.title,
                finding.field_label,
                finding.message,
                finding.how_to_fix,
                request.build_absolute_uri(finding.url),
            ]
            for finding in found
        )
        return export_response(fmt, "a-mettre-en-conformite", HEADER, rows)
    context = {
        "title": TITLE,
        "findings": found,
        "counts": compliance.counts_by_rule(found),
        "rules": compliance.RULES,
        "rule": rule,
        "breadcrumb_data": breadcrumb(TITLE),
    }
    return render(request, "contracts/compliance.html", context)


urlpatterns = [path("conformite/", compliance_list, name="compliance")]
