"""A meeting: its page (agenda, attendance counts, documents, minutes, decisions and the follow-up of the open
decisions of earlier meetings), its forms (planning, convocation by e-mail, cancellation, attendance, documents
and frozen extracts, minutes, decisions), private documents served after a permission check, and the decisions
of the signed-in user ("mes décisions")."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from pacte.core.exports import csv_response
from pacte.core.locking import StaleEditError
from pacte.governance import ics, perms, services
from pacte.governance.enums import OPEN_DECISION_STATUSES, DocumentKind
from pacte.governance.forms import (
    AttendanceForm,
    CancelForm,
    DecisionForm,
    DocumentForm,
    ExtractForm,
    MeetingForm,
    MinutesForm,
    apply_errors,
)
from pacte.governance.models import Decision, Document, Meeting, Minutes
from pacte.governance.views.committees import DECISIONS_HEADER, decision_rows
from pacte.governance.views.common import (
    Hidden,
    base_url,
    breadcrumb,
    committee_link,
    committee_or_hide,
    decision_or_hide,
    error_messages,
    meeting_link,
    meeting_or_hide,
    sign_in_when_hidden,
)
from pacte.observation.queries import level_of


def _require_manager(request, committee) -> None:
    if not perms.can_manage_committee(request.user, committee):
        raise PermissionDenied


@login_required
def meeting_create(request, pk: int):
    committee = committee_or_hide(request, pk)
    _require_manager(request, committee)
    form = MeetingForm(request.POST or None, initial={"title": f"Réunion – {committee.name}"})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(committee, agenda=form.agenda_lines(), **form.meeting_fields())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "La réunion est planifiée. Les membres en activité y sont invités.")
            return redirect(meeting)
    context = {
        "title": f"Nouvelle réunion – {committee.name}",
        "committee": committee,
        "form": form,
        "breadcrumb_data": breadcrumb("Nouvelle réunion", committee_link(committee)),
    }
    return render(request, "governance/meeting_form.html", context)


@sign_in_when_hidden
def meeting_detail(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    committee = meeting.committee
    user = request.user
    manages = perms.can_manage_committee(user, committee)
    sees_all = perms.can_view_all_decisions(user, committee)
    attendances = list(
        meeting.attendances.select_related("member__user__organisation", "member__organisation").order_by(
            "member__category", "member__organisation_name", "member__person_name", "pk"
        )
    )
    minutes = Minutes.objects.filter(meeting=meeting).select_related("validated_by", "written_by").first()
    documents = list(meeting.documents.select_related("file"))
    if not perms.can_view_private_documents(user, committee):
        documents = [doc for doc in documents if doc.is_public and committee.is_public]
    decisions = meeting.decisions.select_related(
        "owner_member__user__organisation", "owner_member__organisation", "owner_organisation"
    ).order_by("number")
    follow_up = services.open_decisions_before(meeting)
    if not sees_all:
        decisions = decisions.filter(is_confidential=False)
        follow_up = follow_up.filter(is_confidential=False)
    follow_up = list(follow_up)
    today = timezone.localdate()
    reference_day = max(today, meeting.meeting_date) if not meeting.is_past else meeting.meeting_date
    context = {
        "title": str(meeting),
        "meeting": meeting,
        "committee": committee,
        "manages": manages,
        "sees_members": perms.can_view_members(user, committee),
        "agenda": meeting.agenda_items.order_by("order"),
        "attendances": attendances,
        "counts": services.attendance_counts(attendances),
        "documents": documents,
        "minutes": minutes if minutes and perms.can_view_minutes(user, minutes) else None,
        "minutes_exist": minutes is not None,
        "decisions": list(decisions),
        "follow_up": follow_up,
        "reference_day": reference_day,
        "today": today,
        "cancel_form": CancelForm() if manages and not meeting.is_cancelled else None,
        "recipients": len(services.invitation_recipients(meeting)) if manages else 0,
        "breadcrumb_data": breadcrumb(str(meeting), committee_link(committee)),
    }
    return render(request, "governance/meeting_detail.html", context)


def _fresh(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_related("committee").get(pk=meeting.pk)


@login_required
def meeting_edit(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    if meeting.is_cancelled:
        messages.warning(request, "Cette réunion est annulée : elle ne peut plus être modifiée.")
        return redirect(meeting)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.update_meeting(
                _fresh(meeting),
                expected_version=form.cleaned_data["lock_version"],
                agenda=form.agenda_lines(),
                **form.meeting_fields(),
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            text = "La réunion est enregistrée."
            if updated.changed_since_invitations:
                text += " Elle a changé depuis la convocation : pensez à prévenir les membres (« Envoyer la modification »)."
            messages.success(request, text)
            return redirect(updated)
    context = {
        "title": f"Modifier – {meeting}",
        "committee": meeting.committee,
        "meeting": meeting,
        "form": form,
        "breadcrumb_data": breadcrumb("Modifier", committee_link(meeting.committee), meeting_link(meeting)),
    }
    return render(request, "governance/meeting_form.html", context)


def _run(request, meeting, operation, success):
    try:
        result = operation()
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(meeting)


@login_required
@require_POST
def meeting_convene(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)

    def success(result):
        sent, modification = result
        what = "La modification de la réunion est envoyée" if modification else "La convocation est envoyée"
        return f"{what} à {sent} membre{'s' if sent > 1 else ''}."

    return _run(
        request, meeting, lambda: services.convene(_fresh(meeting), base_url=base_url(request)), success
    )


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Motif de l'annulation : indiquez pourquoi la réunion est annulée.")
        return redirect(meeting)

    def success(sent):
        text = "La réunion est annulée."
        return text + (
            f" {sent} membre{'s' if sent > 1 else ''} prévenu{'s' if sent > 1 else ''}." if sent else ""
        )

    return _run(
        request,
        meeting,
        lambda: services.cancel_meeting(
            _fresh(meeting), reason=form.cleaned_data["reason"], base_url=base_url(request)
        ),
        success,
    )


@login_required
def meeting_attendance(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    attendances = meeting.attendances.select_related(
        "member__user__organisation", "member__organisation"
    ).order_by("member__category", "member__organisation_name", "member__person_name", "pk")
    form = AttendanceForm(request.POST or None, attendances=attendances, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(
                _fresh(meeting), form.statuses(), participants_count=form.cleaned_data["participants_count"]
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Les présences sont enregistrées.")
            return redirect(f"{meeting.get_absolute_url()}#presences")
    context = {
        "title": f"Présences – {meeting}",
        "meeting": meeting,
        "form": form,
        "breadcrumb_data": breadcrumb("Présences", committee_link(meeting.committee), meeting_link(meeting)),
    }
    return render(request, "governance/attendance_form.html", context)


@login_required
def document_add(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    upload_form = DocumentForm(prefix="fichier")
    extract_form = ExtractForm(prefix="extrait", committee=meeting.committee)
    if request.method == "POST":
        if "extrait-kind" in request.POST:
            extract_form = ExtractForm(request.POST, prefix="extrait", committee=meeting.committee)
            if extract_form.is_valid():
                try:
                    services.attach_extract(
                        meeting,
                        kind=extract_form.cleaned_data["kind"],
                        territory=extract_form.cleaned_data["territory"],
                        by=request.user,
                    )
                except ValidationError as error:
                    apply_errors(error, extract_form)
                else:
                    messages.success(
                        request, "L'extrait est joint à la réunion, figé à la date de la réunion."
                    )
                    return redirect(f"{meeting.get_absolute_url()}#documents")
        else:
            upload_form = DocumentForm(request.POST, request.FILES, prefix="fichier")
            if upload_form.is_valid():
                try:
                    services.attach_file(
                        meeting,
                        upload=upload_form.cleaned_data["file"],
                        title=upload_form.cleaned_data["title"],
                        is_public=upload_form.cleaned_data["is_public"],
                        by=request.user,
                    )
                except ValidationError as error:
                    apply_errors(error, upload_form)
                else:
                    messages.success(request, "Le document est joint à la réunion.")
                    return redirect(f"{meeting.get_absolute_url()}#documents")
    context = {
        "title": f"Joindre un document – {meeting}",
        "meeting": meeting,
        "upload_form": upload_form,
        "extract_form": extract_form,
        "breadcrumb_data": breadcrumb(
            "Joindre un document", committee_link(meeting.committee), meeting_link(meeting)
        ),
    }
    return render(request, "governance/document_form.html", context)


def _document_or_hide(request, pk: int) -> Document:
    document = (
        Document.objects.select_related("meeting__committee__territory", "file", "territory")
        .filter(pk=pk)
        .first()
    )
    if document is None or not perms.can_view_committee(request.user, document.meeting.committee):
        raise Hidden("Document introuvable")
    if not perms.can_view_document(request.user, document):
        if request.user.is_authenticated:
            raise PermissionDenied
        raise Hidden("Document introuvable")
    return document


@sign_in_when_hidden
def document_view(request, pk: int):
    document = _document_or_hide(request, pk)
    if document.kind == DocumentKind.FILE:
        stored = document.file
        response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
        safe_name = stored.name.replace('"', "")
        response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    meeting = document.meeting
    context = {
        "title": document.title,
        "document": document,
        "meeting": meeting,
        # Rendered by the platform's own template when attached (extracts.py), from escaped values.
        "snapshot": mark_safe(document.snapshot_html),  # noqa: S308
        "diagnostic_url": reverse(
            "observation:diagnostic",
            kwargs={"level": level_of(document.territory), "code": document.territory.code},
        )
        if document.territory
        else "",
        "breadcrumb_data": breadcrumb(
            document.title, committee_link(meeting.committee), meeting_link(meeting)
        ),
    }
    return render(request, "governance/document_extract.html", context)


@login_required
@require_POST
def document_delete(request, pk: int):
    document = _document_or_hide(request, pk)
    meeting = document.meeting
    _require_manager(request, meeting.committee)
    services.remove_document(document)
    messages.success(request, f"Le document « {document.title} » est retiré.")
    return redirect(f"{meeting.get_absolute_url()}#documents")


@login_required
def minutes_edit(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    version = minutes.lock_version if minutes else services.NEW
    form = MinutesForm(
        request.POST or None, version=version, initial={"text": minutes.text if minutes else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(
                meeting,
                text=form.cleaned_data["text"],
                by=request.user,
                expected_version=form.cleaned_data["lock_version"],
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Le compte rendu est enregistré.")
            return redirect(f"{meeting.get_absolute_url()}#compte-rendu")
    context = {
        "title": f"Compte rendu – {meeting}",
        "meeting": meeting,
        "minutes": minutes,
        "form": form,
        "breadcrumb_data": breadcrumb(
            "Compte rendu", committee_link(meeting.committee), meeting_link(meeting)
        ),
    }
    return render(request, "governance/minutes_form.html", context)


@login_required
@require_POST
def minutes_validate(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    version = request.POST.get("lock_version", "")
    try:
        services.validate_minutes(
            minutes, by=request.user, expected_version=int(version) if version.isdigit() else -2
        )
    except StaleEditError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, "Le compte rendu est validé : les membres de l'instance peuvent le lire.")
    return redirect(f"{meeting.get_absolute_url()}#compte-rendu")


@login_required
def decision_create(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    form = DecisionForm(request.POST or None, committee=meeting.committee)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.add_decision(meeting, **form.changes())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, f"La décision n°{decision.number} est enregistrée.")
            return redirect(f"{meeting.get_absolute_url()}#decisions")
    context = {
        "title": f"Nouvelle décision – {meeting}",
        "meeting": meeting,
        "form": form,
        "breadcrumb_data": breadcrumb(
            "Nouvelle décision", committee_link(meeting.committee), meeting_link(meeting)
        ),
    }
    return render(request, "governance/decision_form.html", context)


@login_required
def decision_edit(request, pk: int):
    decision = decision_or_hide(request, pk)
    meeting = decision.meeting
    committee = meeting.committee
    if not perms.can_edit_decision(request.user, decision):
        raise PermissionDenied
    owner_only = not perms.can_manage_committee(request.user, committee)
    form = DecisionForm(request.POST or None, committee=committee, decision=decision, owner_only=owner_only)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_decision(
                Decision.objects.select_related("meeting").get(pk=decision.pk),
                expected_version=form.cleaned_data["lock_version"],
                **form.changes(),
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, f"La décision n°{decision.number} est enregistrée.")
            if request.GET.get("retour") == "mes-decisions":
                return redirect("governance:my_decisions")
            return redirect(decision.get_absolute_url())
    context = {
        "title": f"Décision n°{decision.number} – {meeting}",
        "meeting": meeting,
        "decision": decision,
        "owner_only": owner_only,
        "form": form,
        "breadcrumb_data": breadcrumb(
            f"Décision n°{decision.number}", committee_link(committee), meeting_link(meeting)
        ),
    }
    return render(request, "governance/decision_form.html", context)


def my_decisions_q(user) -> Q:
    mine = Q(owner_member__user=user)
    if user.organisation_id:
        mine |= Q(owner_organisation_id=user.organisation_id) | Q(
            owner_member__organisation_id=user.organisation_id
        )
    return mine


@login_required
def my_decisions(request):
    user = request.user
    decisions = (
        Decision.objects.filter(my_decisions_q(user))
        .select_related(
            "meeting__committee",
            "owner_member__user__organisation",
            "owner_member__organisation",
            "owner_organisation",
        )
        .order_by("due_date", "meeting__starts_at", "number")
    )
    status = request.GET.get("statut", "ouvertes")
    if status == "ouvertes":
        decisions = decisions.filter(status__in=OPEN_DECISION_STATUSES)
    today = timezone.localdate()
    if request.GET.get("format") == "csv":
        return csv_response("mes-decisions.csv", DECISIONS_HEADER, decision_rows(decisions, today))
    page = Paginator(decisions, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": "Mes décisions",
        "page": page,
        "today": today,
        "status": status,
        "breadcrumb_data": breadcrumb("Mes décisions"),
    }
    return render(request, "governance/my_decisions.html", context)


@sign_in_when_hidden
def meeting_ics(request, pk: int):
    """One meeting as a calendar file, to add it to one's calendar by hand."""
    meeting = meeting_or_hide(request, pk)
    url = base_url(request) + meeting.get_absolute_url()
    body = ics.calendar(meeting.committee.name, [meeting], lambda _m: url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.pk}.ics"'
    return response


urlpatterns = [
    path("instances/<int:pk>/reunions/nouvelle/", meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", meeting_detail, name="meeting"),
    path("reunions/<int:pk>/modifier/", meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/convoquer/", meeting_convene, name="meeting_convene"),
    path("reunions/<int:pk>/annuler/", meeting_cancel, name="meeting_cancel"),
    path("reunions/<int:pk>/presences/", meeting_attendance, name="meeting_attendance"),
    path("reunions/<int:pk>/documents/", document_add, name="document_add"),
    path("reunions/<int:pk>/compte-rendu/", minutes_edit, name="minutes_edit"),
    path("reunions/<int:pk>/compte-rendu/valider/", minutes_validate, name="minutes_validate"),
    path("reunions/<int:pk>/decisions/nouvelle/", decision_create, name="decision_create"),
    path("reunions/<int:pk>/reunion.ics", meeting_ics, name="meeting_ics"),
    path("documents/<int:pk>/", document_view, name="document"),
    path("documents/<int:pk>/retirer/", document_delete, name="document_delete"),
    path("decisions/<int:pk>/modifier/", decision_edit, name="decision_edit"),
    path("mes-decisions/", my_decisions, name="my_decisions"),
]
