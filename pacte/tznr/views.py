"""Pages of the territoires zéro non-recours: the public register and its exports, an experiment's page (public
part, and the follow-up for `perms.can_follow`: budget, contacts, periods, cost of a right opened against the
regional and national figures), its forms and history, the periods (figures, rights opened, file import,
transmission, the State's review) and the costs page.

A follow-up page the user may not read does not exist for it (404; an anonymous visitor is asked to sign in); a
user who reads it but may not do what a form does is refused (403)."""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pacte.core.collation import french, french_key
from pacte.core.forms import LockForm, Notices, errors_on
from pacte.core.history import history_page
from pacte.core.locking import StaleEditError
from pacte.core.visibility import Hidden, sign_in_when_hidden
from pacte.territories.enums import Level
from pacte.territories.models import Territory
from pacte.tznr import cost, exports, history, perms, queries, services
from pacte.tznr.enums import OpenedBenefit, PeriodStatus
from pacte.tznr.forms import (
    ContactForm,
    ExperimentEditForm,
    ExperimentForm,
    FundingForm,
    OutreachActionForm,
    PeriodEditForm,
    PeriodForm,
    PeriodReviewForm,
    RightFormSet,
    RightsImportForm,
    RightsLockForm,
    codes_of,
)
from pacte.tznr.imports import import_rights
from pacte.tznr.models import Contact, Experiment, FollowUpPeriod, Funding, OutreachAction

REGISTER = {"title": "Territoires zéro non-recours"}


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _breadcrumb(current: str, *links: dict) -> dict:
    return {"links": [{"url": reverse("tznr:register"), **REGISTER}, *links], "current": current}


def _link(experiment: Experiment) -> dict:
    return {"url": experiment.get_absolute_url(), "title": experiment.name}


def _form_page(request, title: str, form, cancel_url: str, breadcrumb: dict):
    """The page of one of the register's forms (a sheet, a line, a period): `tznr/form.html`."""
    context = {"title": title, "form": form, "cancel_url": cancel_url, "breadcrumb_data": breadcrumb}
    return render(request, "tznr/form.html", context)


# --- The register ----------------------------------------------------------------------------------------------


def _filtered(request):
    rows = queries.register()
    region_code, article = request.GET.get("region", ""), request.GET.get("article", "")
    if region_code:
        rows = rows.filter(region__code=region_code, region__level=Level.REGION)
    if article in ("1", "2"):
        rows = rows.filter(article=int(article))
    elif article == "hors":
        rows = rows.filter(article__isnull=True)
    return rows, region_code, article


def _followed_figures(user, experiments) -> dict[int, cost.Cost]:
    """The cost figures of those of `experiments` the user follows (nothing for an anonymous visitor)."""
    if not user.is_authenticated:
        return {}
    followed = set(queries.followed(user).values_list("pk", flat=True))
    mine = [experiment for experiment in experiments if experiment.pk in followed]
    return queries.costs(mine) if mine else {}


def register(request):
    rows, region_code, article = _filtered(request)
    rows = list(rows)
    in_decree = sorted(
        (e for e in rows if e.in_decree), key=lambda e: (e.decree_number is None, e.decree_number or 0)
    )
    declared = [e for e in rows if not e.in_decree]
    figures = _followed_figures(request.user, rows)
    for experiment in rows:
        experiment.figures = figures.get(experiment.pk)
    total, identified = queries.decree_count()
    context = {
        "title": REGISTER["title"],
        "in_decree": in_decree,
        "declared": declared,
        "decree_total": total,
        "decree_identified": identified,
        "follows_some": bool(figures),
        "regions": Territory.objects.filter(level=Level.REGION, tznr_experiments_in_region__isnull=False)
        .distinct()
        .order_by(french("name")),
        "region_code": region_code,
        "article": article,
        "may_create": perms.can_create_experiment(request.user),
        "may_view_costs": perms.can_view_costs(request.user),
        "query": request.GET.urlencode(),
        "breadcrumb_data": {"current": REGISTER["title"]},
    }
    return render(request, "tznr/register.html", context)


def register_export(request, fmt: str):
    rows, _region, _article = _filtered(request)
    rows = sorted(rows, key=lambda e: (e.decree_number is None, e.decree_number or 0, french_key(e.name)))
    return exports.register_export(fmt, rows)


# --- An experiment ---------------------------------------------------------------------------------------------


def _experiment(pk: int) -> Experiment | None:
    return queries.register().filter(pk=pk).first()


def _followed_or_hide(request, pk: int) -> Experiment:
    experiment = _experiment(pk)
    if experiment is None or not perms.can_follow(request.user, experiment):
        raise Hidden("Territoire introuvable")
    return experiment


def _budget(experiment) -> list[dict]:
    by_year = defaultdict(list)
    for line in experiment.fundings.all():
        by_year[line.year].append(line)
    return [
        {"year": year, "lines": lines, "total": sum((line.amount for line in lines), Decimal(0))}
        for year, lines in sorted(by_year.items())
    ]


def cost_block(experiment) -> dict:
    """The cost figures of the experiment and the regional and national pooled figures beside them."""
    experiments, by_pk = queries.all_costs()
    if experiment.pk not in by_pk:  # an experiment « non identifié » is left out of the comparisons
        by_pk[experiment.pk] = queries.costs([experiment])[experiment.pk]
    figures = by_pk[experiment.pk]
    national, regional = queries.comparisons(experiments, by_pk)
    region = regional.get(experiment.region_id)
    return {
        "figures": figures,
        "national": national,
        "regional": region,
        "region_name": experiment.region.name if experiment.region else "",
        "benefits": [
            {"label": OpenedBenefit(line.benefit).label, "figures": line} for line in figures.by_benefit
        ],
        "gap_regional": cost.gap(figures.per_right, region.pooled.per_right if region else None),
        "gap_national": cost.gap(figures.per_right, national.pooled.per_right),
        "gap_regional_euro": cost.gap(
            figures.yearly_per_euro, region.pooled.yearly_per_euro if region else None
        ),
        "gap_national_euro": cost.gap(figures.yearly_per_euro, national.pooled.yearly_per_euro),
    }


def experiment(request, pk: int):
    experiment = _experiment(pk)
    if experiment is None:
        raise Hidden("Territoire introuvable")
    user = request.user
    follows = perms.can_follow(user, experiment)
    context = {
        "title": experiment.name,
        "experiment": experiment,
        "actions": experiment.actions.all(),
        "follows": follows,
        "breadcrumb_data": _breadcrumb(experiment.name),
    }
    if follows:
        context.update(
            {
                "budget": _budget(experiment),
                "contacts": experiment.contacts.all(),
                "periods": experiment.periods.all(),
                "cost": cost_block(experiment),
                "may_change": perms.can_change_experiment(user, experiment),
                "may_declare": perms.can_declare(user, experiment),
            }
        )
    return render(request, "tznr/experiment.html", context)


@login_required
def experiment_create(request):
    user = request.user
    require(perms.can_create_experiment(user))
    may_name = perms.can_name_porteur(user)
    region = (
        None if perms.is_national(user) or not user.territory_id else user.territory.region or user.territory
    )
    form = ExperimentForm(request.POST or None, may_name_porteur=may_name, region=region)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            experiment = services.create_experiment(
                user,
                form.data_for_services(),
                form.cleaned_data["territories"],
                porteur=form.cleaned_data.get("porteur") if may_name else None,
            )
        if outcome.ok:
            messages.success(
                request, "Le territoire est enregistré : complétez son budget, ses actions et ses contacts."
            )
            return redirect(experiment)
    return _form_page(
        request,
        "Enregistrer un territoire zéro non-recours",
        form,
        reverse("tznr:register"),
        _breadcrumb("Nouveau territoire"),
    )


@sign_in_when_hidden
def experiment_edit(request, pk: int):
    experiment = _followed_or_hide(request, pk)
    user = request.user
    require(perms.can_change_experiment(user, experiment))
    may_name = perms.can_name_porteur(user, experiment)
    initial = {name: getattr(experiment, name) for name in (*services.EXPERIMENT_FIELDS, "porteur")} | {
        "territories": codes_of(experiment.territories.all()),
        "lock_version": experiment.lock_version,
    }
    form = ExperimentEditForm(
        request.POST or None, initial=initial, may_name_porteur=may_name, region=experiment.region
    )
    if request.method == "POST" and form.is_valid():
        extra = {"porteur": form.cleaned_data.get("porteur")} if may_name else {}
        with errors_on(form) as outcome:
            services.update_experiment(
                user,
                experiment,
                form.data_for_services(),
                version=form.cleaned_data["lock_version"],
                territories=form.cleaned_data["territories"],
                **extra,
            )
        if outcome.ok:
            messages.success(request, "La fiche est enregistrée.")
            return redirect(experiment)
    return _form_page(
        request,
        f"Modifier – {experiment.name}",
        form,
        experiment.get_absolute_url(),
        _breadcrumb("Modifier la fiche", _link(experiment)),
    )


LINES = {
    "financement": (FundingForm, services.add_funding, Funding, "Ajouter un financement", "fundings"),
    "action": (
        OutreachActionForm,
        services.add_action,
        OutreachAction,
        "Ajouter une action d'aller-vers",
        "actions",
    ),
    "contact": (ContactForm, services.add_contact, Contact, "Ajouter un contact", "contacts"),
}


@sign_in_when_hidden
def line_add(request, pk: int, kind: str):
    if kind not in LINES:
        raise Hidden("Page introuvable")
    experiment = _followed_or_hide(request, pk)
    require(perms.can_change_experiment(request.user, experiment))
    form_class, add, _model, title, anchor = LINES[kind]
    form = form_class(request.POST or None, initial={"lock_version": experiment.lock_version})
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "lock_version"}
        with errors_on(form) as outcome:
            add(request.user, experiment, version=form.cleaned_data["lock_version"], **data)
        if outcome.ok:
            messages.success(request, "La ligne est ajoutée.")
            return redirect(f"{experiment.get_absolute_url()}#{anchor}")
    return _form_page(
        request,
        f"{title} – {experiment.name}",
        form,
        experiment.get_absolute_url(),
        _breadcrumb(title, _link(experiment)),
    )


@require_POST
@sign_in_when_hidden
def line_remove(request, pk: int, kind: str, line: int):
    if kind not in LINES:
        raise Hidden("Page introuvable")
    experiment = _followed_or_hide(request, pk)
    require(perms.can_change_experiment(request.user, experiment))
    _form, _add, model, _title, anchor = LINES[kind]
    row = model.objects.filter(experiment=experiment, pk=line).first()
    if row is None:
        raise Hidden("Ligne introuvable")
    lock = LockForm(request.POST)
    with errors_on(Notices(request)) as outcome:
        if not lock.is_valid():
            raise StaleEditError
        services.remove_line(request.user, row, version=lock.cleaned_data["lock_version"])
    if outcome.ok:
        messages.success(request, "La ligne est supprimée.")
    return redirect(f"{experiment.get_absolute_url()}#{anchor}")


@sign_in_when_hidden
def experiment_history(request, pk: int):
    experiment = _followed_or_hide(request, pk)
    return history_page(
        request,
        history.sources(experiment),
        subject=experiment,
        intro=history.INTRO,
        breadcrumb=_breadcrumb("Historique", _link(experiment)),
    )


# --- Periods ---------------------------------------------------------------------------------------------------


@sign_in_when_hidden
def period_create(request, pk: int):
    experiment = _followed_or_hide(request, pk)
    require(perms.can_declare(request.user, experiment))
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            period = services.open_period(request.user, experiment, form.cleaned_data)
        if outcome.ok:
            messages.success(request, "La période est ouverte : saisissez ou importez les droits ouverts.")
            return redirect(period)
    return _form_page(
        request,
        f"Nouvelle période de suivi – {experiment.name}",
        form,
        experiment.get_absolute_url(),
        _breadcrumb("Nouvelle période", _link(experiment)),
    )


def _period_or_hide(request, pk: int, period_pk: int) -> tuple[Experiment, FollowUpPeriod]:
    experiment = _followed_or_hide(request, pk)
    period = queries.periods_of(experiment).filter(pk=period_pk).first()
    if period is None:
        raise Hidden("Période introuvable")
    period.experiment = experiment
    return experiment, period


def _rights_initial(period) -> list[dict]:
    return [
        {
            "benefit": line.benefit,
            "source": line.source,
            "count": line.count,
            "monthly_amount": line.monthly_amount,
        }
        for line in period.rights.all()
    ]


def _period_page(request, experiment, period, *, status: int = 200, **forms):
    user = request.user
    editable = perms.can_edit_period(user, period)
    reviewable = perms.can_review_period(user, period)
    figures = cost.compute(
        [
            cost.PeriodFigures(
                period.start,
                period.end,
                period.spent,
                tuple(
                    cost.RightLine(line.benefit, line.source, line.count, line.monthly_amount)
                    for line in period.rights.all()
                ),
            )
        ]
    )
    version = {"lock_version": period.lock_version}
    if editable:
        forms.setdefault("rights_formset", RightFormSet(initial=_rights_initial(period), prefix="droits"))
        forms.setdefault("rights_lock", RightsLockForm(initial=version))
        forms.setdefault("import_form", RightsImportForm(initial=version))
    if reviewable:
        forms.setdefault("review_form", PeriodReviewForm(initial=version))
    context = {
        "title": f"Période du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y} – {experiment.name}",
        "experiment": experiment,
        "period": period,
        "rights": period.rights.all(),
        "figures": figures,
        "editable": editable,
        "reviewable": reviewable,
        "validated": period.status == PeriodStatus.VALIDATED,
        "breadcrumb_data": _breadcrumb(f"Période du {period.start:%d/%m/%Y}", _link(experiment)),
        **forms,
    }
    return render(request, "tznr/period.html", context, status=status)


@sign_in_when_hidden
def period(request, pk: int, period: int):
    experiment, period = _period_or_hide(request, pk, period)
    return _period_page(request, experiment, period)


@sign_in_when_hidden
def period_edit(request, pk: int, period: int):
    experiment, period = _period_or_hide(request, pk, period)
    require(perms.can_edit_period(request.user, period))
    initial = {name: getattr(period, name) for name in services.PERIOD_FIELDS}
    form = PeriodEditForm(request.POST or None, initial=initial | {"lock_version": period.lock_version})
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "lock_version"}
        with errors_on(form) as outcome:
            services.update_period(request.user, period, data, version=form.cleaned_data["lock_version"])
        if outcome.ok:
            messages.success(request, "La période est enregistrée.")
            return redirect(period)
    return _form_page(
        request,
        f"Modifier la période – {experiment.name}",
        form,
        period.get_absolute_url(),
        _breadcrumb("Modifier la période", _link(experiment)),
    )


def _rights_errors(formset, lock, positions: list[int], error: ValidationError) -> None:
    """Put the services' messages (`rights.<position>.<field>`) on the cells of the formset."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            lock.add_error(None, message)
        return
    for path, texts in error.message_dict.items():
        parts = path.split(".")
        if len(parts) == 3 and parts[0] == "rights" and parts[1].isdigit() and int(parts[1]) < len(positions):
            form = formset.forms[positions[int(parts[1])]]
            for text in texts:
                form.add_error(parts[2] if parts[2] in form.fields else None, text)
        else:
            for text in texts:
                lock.add_error(None, text)


@require_POST
@sign_in_when_hidden
def period_rights(request, pk: int, period: int):
    experiment, period = _period_or_hide(request, pk, period)
    require(perms.can_edit_period(request.user, period))
    formset = RightFormSet(request.POST, prefix="droits")
    lock = RightsLockForm(request.POST)
    if formset.is_valid() and lock.is_valid():
        positions = [
            index
            for index, form in enumerate(formset.forms)
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        rows = [{k: v for k, v in formset.forms[i].cleaned_data.items() if k != "DELETE"} for i in positions]
        try:
            services.replace_rights(request.user, period, rows, version=lock.cleaned_data["lock_version"])
        except StaleEditError as error:
            lock.add_error(None, str(error))
        except ValidationError as error:
            _rights_errors(formset, lock, positions, error)
        else:
            messages.success(request, "Les droits ouverts sont enregistrés.")
            return redirect(period)
    return _period_page(request, experiment, period, status=400, rights_formset=formset, rights_lock=lock)


@require_POST
@sign_in_when_hidden
def period_import(request, pk: int, period: int):
    experiment, period = _period_or_hide(request, pk, period)
    require(perms.can_edit_period(request.user, period))
    form = RightsImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        with errors_on(form) as outcome:
            report = import_rights(
                request.user, period, upload.read(), upload.name, form.cleaned_data["lock_version"]
            )
        if outcome.ok:
            messages.success(request, f"{report} Les droits ouverts de la période sont remplacés.")
            return redirect(period)
    return _period_page(request, experiment, period, status=400, import_form=form)


@require_POST
@sign_in_when_hidden
def period_submit(request, pk: int, period: int):
    experiment, period = _period_or_hide(request, pk, period)
    require(perms.can_edit_period(request.user, period))
    lock = LockForm(request.POST)
    with errors_on(Notices(request)) as outcome:
        if not lock.is_valid():
            raise StaleEditError
        services.submit_period(request.user, period, version=lock.cleaned_data["lock_version"])
    if outcome.ok:
        messages.success(request, "La période est transmise aux services de l'État.")
    return redirect(period)


@require_POST
@sign_in_when_hidden
def period_review(request, pk: int, period: int):
    experiment, period = _period_or_hide(request, pk, period)
    require(perms.can_review_period(request.user, period))
    form = PeriodReviewForm(request.POST)
    if form.is_valid():
        validate = form.cleaned_data["decision"] == "valider"
        with errors_on(form) as outcome:
            services.review_period(
                request.user,
                period,
                validate=validate,
                comment=form.cleaned_data["review_comment"],
                version=form.cleaned_data["lock_version"],
            )
        if outcome.ok:
            messages.success(
                request, "La période est validée." if validate else "La période est renvoyée au porteur."
            )
            return redirect(period)
    return _period_page(request, experiment, period, status=400, review_form=form)


# --- Costs -----------------------------------------------------------------------------------------------------


def _cost_lines(user) -> dict:
    followed = list(queries.followed(user).filter(identified=True))
    experiments, by_pk = queries.all_costs()
    national, regional = queries.comparisons(experiments, by_pk)
    regions = {e.region_id: e.region for e in followed if e.region_id}
    if user.role and user.territory_id and user.territory.level == Level.REGION:
        regions.setdefault(user.territory_id, user.territory)
    elif user.territory_id and user.territory.region_id:
        regions.setdefault(user.territory.region_id, user.territory.region)
    lines = []
    for experiment in sorted(followed, key=lambda e: french_key(e.name)):
        figures = by_pk.get(experiment.pk) or queries.costs([experiment])[experiment.pk]
        region = regional.get(experiment.region_id)
        lines.append(
            {
                "experiment": experiment,
                "figures": figures,
                "gap_regional": cost.gap(figures.per_right, region.pooled.per_right if region else None),
                "gap_national": cost.gap(figures.per_right, national.pooled.per_right),
            }
        )
    regional_lines = [
        {"region": region, "comparison": regional.get(pk)}
        for pk, region in sorted(regions.items(), key=lambda item: french_key(item[1].name))
    ]
    return {"lines": lines, "regional_lines": regional_lines, "national": national}


@login_required
def costs(request):
    require(perms.can_view_costs(request.user))
    context = {
        "title": "Coût d'un droit ouvert – territoires zéro non-recours",
        **_cost_lines(request.user),
        "breadcrumb_data": _breadcrumb("Coût d'un droit ouvert"),
    }
    return render(request, "tznr/costs.html", context)


@login_required
def costs_export(request, fmt: str):
    require(perms.can_view_costs(request.user))
    data = _cost_lines(request.user)
    rows = [
        exports.cost_row(
            line["experiment"].name,
            line["experiment"].region.name if line["experiment"].region else "",
            line["figures"],
        )
        for line in data["lines"]
    ]
    rows += [
        exports.cost_row(
            "Ensemble de la région (chiffres cumulés)",
            item["region"].name,
            item["comparison"].pooled,
            item["comparison"],
        )
        for item in data["regional_lines"]
        if item["comparison"] is not None
    ]
    rows.append(
        exports.cost_row("France entière (chiffres cumulés)", "", data["national"].pooled, data["national"])
    )
    return exports.costs_export(fmt, rows)
