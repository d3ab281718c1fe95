"""On the demo, `ddets44` lands on « Mon espace » listing the Loire-Atlantique report to review (issue 17, « Done
when »). Loading the contracts demo runs every service many times: one test checks the whole story."""

from django.urls import reverse

from pacte.contracts.models import ExecutionReport
from pacte.core.enums import ReportStatus
from pacte.demo.accounts import load_accounts_demo
from pacte.demo.contracts import load_contracts_demo
from pacte.programme.services import load_referentiel
from tests.demo.factories import TODAY, build_pays_de_la_loire
from tests.helpers import page


def test_ddets44_lands_on_the_loire_atlantique_report_to_review(client, settings, django_user_model):
    settings.DEMO_MODE = True
    build_pays_de_la_loire()
    load_referentiel(today=TODAY)
    load_accounts_demo()
    load_contracts_demo(today=TODAY)
    [report] = ExecutionReport.objects.filter(
        status=ReportStatus.SUBMITTED, contract__territory__code="44", contract__kind="departement"
    )
    ddets44 = django_user_model.objects.get(username="ddets44")
    html = page(client, reverse("workspace:home"), ddets44)
    review = html.split('id="contract_reports_to_review"')[1].split("</section>")[0]
    assert (
        f"Rapport d&#x27;exécution {report.year} – Contrat local des solidarités – Loire-Atlantique" in review
    )
    assert f'href="{report.get_absolute_url()}"' in review
    assert "donnée fictive" in review
