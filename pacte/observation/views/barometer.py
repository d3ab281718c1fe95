"""Barometer of the Pacte: every national target with its status, the drill-down of one target from France to
the fiches-actions, and the data to update. Open to everyone with public data (public indicators, signed
contracts); the Pacte's steering also reads the indicators that are not public yet."""

from datetime import date
from decimal import Decimal

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, re_path, reverse
from django.utils import timezone

from pacte.contracts.enums import YEARS
from pacte.core.exports import export_response
from pacte.core.visibility import Hidden
from pacte.observation import charts, perms
from pacte.observation.barometer import figures, reads, rules
from pacte.observation.barometer.enums import BarometerSource
from pacte.observation.views.common import target_progress_or_hide
from pacte.territories.enums import Level
from pacte.territories.models import Territory

TITLE = "Baromètre du Pacte des solidarités"
AREA_LEVELS = {"region": "Région", "departement": "Département", "metropole": "Métropole"}


def _crumb(url: str, title: str) -> dict:
    return {"url": url, "title": title}


def index(request):
    include = perms.can_view_restricted_indicators(request.user)
    data = reads.barometer(include_restricted=include)
    context = {
        "title": TITLE,
        "data": data,
        "include_restricted": include,
        "constants": _constants(),
        "breadcrumb_data": {"current": "Baromètre du Pacte"},
    }
    return render(request, "observation/barometer.html", context)


def _constants() -> dict:
    return {
        "on_track": rules.ON_TRACK_TOLERANCE,
        "at_risk": rules.AT_RISK_TOLERANCE,
        "start_year": rules.PACTE_START_YEAR,
        "undated": rules.UNDATED_HORIZON,
        "report_lag": rules.REPORT_LAG_YEARS,
    }


def _area(value: str) -> tuple[str, Territory] | None:
    """The territory of the `territoire` parameter ("region:84", "departement:69", "metropole:200046977");
    None for France; 404 with a French message for anything else."""
    if not value:
        return None
    level, _, code = value.partition(":")
    if level not in AREA_LEVELS or not code:
        raise Hidden(
            "Paramètre « territoire » invalide : attendu region:<code>, departement:<code> ou metropole:<code>."
        )
    territories = Territory.objects.select_related("region", "departement", "parent")
    if level == "region":
        territories = territories.filter(level__in=(Level.REGION, Level.COM))
    elif level == "departement":
        territories = territories.filter(level=Level.DEPARTEMENT)
    else:
        territories = territories.metropoles()
    territory = territories.filter(code=code).first()
    if territory is None:
        raise Hidden(f"Territoire inconnu : {AREA_LEVELS[level].lower()} de code « {code} ».")
    return level, territory


def _chart(item: figures.TargetProgress):
    if not item.has_trajectory:
        return None
    national = item.national_value if item.source == BarometerSource.NATIONAL else None
    series = national.series if national is not None else None
    decimals = series.indicator.decimals if series else (0 if item.is_additive else 1)
    return charts.trajectory_chart(
        baseline=(item.baseline.year, item.baseline.value),
        target=(item.target_year, item.target_value),
        actuals=item.actuals,
        title=f"Trajectoire : {item.target.label}",
        unit=item.target.unit,
        decimals=decimals,
    )


def target(request, code: str):
    include = perms.can_view_restricted_indicators(request.user)
    item = target_progress_or_hide(request.user, code)
    area = _area(request.GET.get("territoire", ""))
    year, report_year = item.contracts.commitment_year, item.contracts.year
    items = item.contracts.contributions
    target_url = reverse("observation:barometer_target", args=[code])
    links = [_crumb(reverse("observation:barometer"), "Baromètre du Pacte")]
    context = {
        "title": f"{item.target.label} – {TITLE}",
        "item": item,
        "years": YEARS,
        "include_restricted": include,
        "constants": _constants(),
        "chart": _chart(item),
        "target_url": target_url,
        "level": "france",
        "area": None,
    }
    if area is None:
        context["rows"] = figures.by_region(items, year, report_year)
        context["total"] = item.contracts
        context["breadcrumb_data"] = {"links": links, "current": item.target.label}
    else:
        level, territory = area
        links.append(_crumb(target_url, item.target.label))
        context.update(level=level, area=territory, level_label=AREA_LEVELS[level])
        if level == "region":
            rows = figures.by_territory(items, territory, year, report_year)
            context["rows"] = rows
            context["total"] = figures.ContractFigures(
                [entry for row in rows for entry in row.contributions], year, report_year
            )
            if item.is_per_departement:
                count = reads.departement_count(territory)
                context["area_objective"] = (count, item.objective_for(count))
        else:
            region = territory.region
            if region is not None:
                links.append(_crumb(f"{target_url}?territoire=region:{region.code}", region.name))
            own = figures.of_territory(items, territory)
            context["own"] = figures.ContractFigures(own, year, report_year)
            context["actions"] = reads.action_lines(
                item.target, [entry.contract for entry in own], report_year
            )
            if level == "departement":
                context["metropoles"] = figures.metropoles_in(items, territory)
        context["breadcrumb_data"] = {"links": links, "current": territory.name}
    return render(request, "observation/barometer_target.html", context)


def stale(request):
    include = perms.can_view_restricted_indicators(request.user)
    today = timezone.localdate()
    follows = perms.missing_reports_reader(request.user)
    missing = reads.missing_reports(today=today) if follows is not None else None
    context = {
        "title": f"Données à mettre à jour – {TITLE}",
        "indicators": reads.stale_indicators(include_restricted=include, today=today),
        "include_restricted": include,
        "today": today,
        "show_reports": follows is not None,
        "missing": missing,
        "missing_contracts": [c for c in missing.contracts if follows(c)] if missing else [],
        "breadcrumb_data": {
            "links": [_crumb(reverse("observation:barometer"), "Baromètre du Pacte")],
            "current": "Données à mettre à jour",
        },
    }
    return render(request, "observation/barometer_stale.html", context)


EXPORT_HEADER = [
    "cible",
    "libelle",
    "axe",
    "mesure",
    "unite",
    "depart_valeur",
    "depart_annee",
    "objectif_valeur",
    "objectif_annee",
    "valeur_actuelle",
    "annee_valeur",
    "origine_valeur",
    "statistique_nationale",
    "rapports_contrats",
    "progression_pct",
    "progression_attendue_pct",
    "ecart_points",
    "statut",
    "confiance",
    "derniere_valeur",
    "donnee_fictive",
    # Added with the sourced national figures (issue 13): the columns above keep their names and places.
    "horizon",
    "comparaison",
    "calcul_objectif",
    "valeur_nationale_periode",
    "valeur_nationale_champ",
    "valeur_nationale_source",
    "valeur_nationale_date_publication",
    "valeur_nationale_adresse",
    "valeur_nationale_citation",
    "valeur_nationale_fiabilite",
    "recherche_sans_donnee",
    "contribution_contrats_annee",
    "contrats_ayant_rendu_rapport",
    "contrats_en_vigueur",
    "portee_par_les_contrats",
    "calcul_statut",
    "valeur_nationale_unite",
    "part_objectif_publiee_pct",
]


def _export_rows(data: figures.Barometer) -> list[list]:
    rows = []
    for item in data.rows:
        target, national = item.target, item.national_value
        contracts = item.contracts
        rows.append(
            [
                target.code,
                target.label,
                target.measure.axis.number if target.measure_id else "",
                target.measure.title if target.measure_id else "",
                target.unit,
                item.baseline.value if item.baseline.is_known else None,
                item.baseline.year if item.baseline.is_known else None,
                item.target_value,
                item.target_year,
                item.value,
                item.year,
                item.source.label if item.source else "",
                national.value if national else None,
                item.contract_value,
                item.trajectory.progress_display,
                item.trajectory.expected_display,
                item.trajectory.gap_display,
                item.status.label,
                item.confidence.label,
                item.last_value_date,
                "oui" if item.has_demo else "non",
                item.horizon,
                item.comparison,
                item.objective_rule,
                national.period if national else "",
                national.scope if national else "",
                national.source if national else "",
                national.published if national else "",
                national.url if national else "",
                national.quote if national else "",
                national.reliability if national else "",
                item.searched,
                contracts.year if item.contract_value is not None else None,
                contracts.filed.get(contracts.year, 0) if contracts.year else 0,
                contracts.in_force,
                "oui" if item.borne_by_contracts else "non",
                item.explanation,
                national.unit if national else "",
                item.share,
            ]
        )
    return rows


def export(request, fmt: str):
    """The barometer table as CSV, XLSX or JSON (with its provenance): the same public or steering version
    as the page."""
    include = perms.can_view_restricted_indicators(request.user)
    data = reads.barometer(include_restricted=include)
    rows = _export_rows(data)
    if fmt != "json":
        return export_response(fmt, f"barometre-pacte-{data.today:%Y-%m-%d}", EXPORT_HEADER, rows)
    provenance = {
        "titre": TITLE,
        "source": "Référentiel national du Pacte des solidarités, chiffres nationaux publiés (source, date, adresse "
        "et citation de chacun), statistiques nationales publiques et rapports d'exécution validés des contrats "
        "locaux signés",
        "cibles_avec_valeur_publiee": data.published_count,
        "nombre_de_cibles": len(data.rows),
        "calcule_le": data.today.isoformat(),
        "version": "pilotage" if include else "publique",
        "methode": request.build_absolute_uri(reverse("observation:barometer")) + "#methode",
    }
    records = [dict(zip(EXPORT_HEADER, [_json(value) for value in row], strict=True)) for row in rows]
    return JsonResponse(
        {"baromètre": provenance, "cibles": records}, json_dumps_params={"ensure_ascii": False}
    )


def _json(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


urlpatterns = [
    path("barometre/", index, name="barometer"),
    re_path(r"^barometre\.(?P<fmt>csv|xlsx|json)$", export, name="barometer_export"),
    path("barometre/a-mettre-a-jour/", stale, name="barometer_stale"),
    path("barometre/<slug:code>/", target, name="barometer_target"),
]
