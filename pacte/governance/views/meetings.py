"""A meeting: its page (agenda, attendance counts, documents, minutes, decisions and the follow-up of the open
decisions of earlier meetings), its forms (planning, convocation by e-mail, cancellation, attendance, documents
and frozen extracts, minutes, decisions), private documents served after a permission check, and the decisions
of the signed-in user ("mes décisions")."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from pacte import formatting
from pacte.core.exports import csv_response
from pacte.core.forms import LockForm, Notices, errors_on
from pacte.core.locking import StaleEditError
from pacte.governance import exports, ics, perms, queries
from pacte.governance.enums import DocumentKind
from pacte.governance.forms import (
    AttendanceForm,
    CancelForm,
    DecisionForm,
    DocumentForm,
    ExtractForm,
    MeetingForm,
    MinutesForm,
)
from pacte.governance.models import Decision, Meeting, Minutes
from pacte.governance.services import attendance, decisions, documents, invitations, meetings, minutes
from pacte.governance.services.common import NEW
from pacte.governance.views.common import (
    base_url,
    breadcrumb,
    committee_link,
    committee_or_hide,
    decision_or_hide,
    document_or_hide,
    meeting_link,
    meeting_or_hide,
    require,
    sign_in_when_hidden,
)
from pacte.observation.queries import level_of


def _require_manager(request, committee) -> None:
    require(perms.can_manage_committee(request.user, committee))


def _fresh(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_related("committee").get(pk=meeting.pk)


@login_required
def meeting_create(request, pk: int):
    committee = committee_or_hide(request, pk)
    _require_manager(request, committee)
    form = MeetingForm(request.POST or None, initial={"title": f"Réunion – {committee.name}"})
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            meeting = meetings.create_meeting(committee, agenda=form.agenda_lines(), **form.meeting_fields())
        if outcome.ok:
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
    attendances = list(queries.attendances(meeting))
    minutes_row = Minutes.objects.filter(meeting=meeting).select_related("validated_by", "written_by").first()
    meeting_decisions = meeting.decisions.select_related(*queries.DECISION_RELATED).order_by("number")
    context = {
        "title": str(meeting),
        "meeting": meeting,
        "committee": committee,
        "manages": manages,
        "sees_members": perms.can_view_members(user, committee),
        "agenda": meeting.agenda_items.order_by("order"),
        "attendances": attendances,
        "counts": queries.attendance_counts(attendances),
        "documents": perms.visible_documents(user, committee, meeting.documents.select_related("file")),
        "minutes": minutes_row if minutes_row and perms.can_view_minutes(user, minutes_row) else None,
        "minutes_exist": minutes_row is not None,
        "decisions": list(perms.visible_decisions(user, meeting_decisions, committee=committee)),
        "follow_up": list(
            perms.visible_decisions(user, queries.open_decisions_before(meeting), committee=committee)
        ),
        "cancel_form": CancelForm() if manages and not meeting.is_cancelled else None,
        "recipients": len(queries.invitation_recipients(meeting)) if manages else 0,
        "breadcrumb_data": breadcrumb(str(meeting), committee_link(committee)),
    }
    return render(request, "governance/meeting_detail.html", context)


@login_required
def meeting_edit(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    if meeting.is_cancelled:
        messages.warning(request, "Cette réunion est annulée : elle ne peut plus être modifiée.")
        return redirect(meeting)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            updated = meetings.update_meeting(
                _fresh(meeting),
                expected_version=form.cleaned_data["lock_version"],
                agenda=form.agenda_lines(),
                **form.meeting_fields(),
            )
        if outcome.ok:
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


@login_required
@require_POST
def meeting_convene(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    with errors_on(Notices(request)) as outcome:
        sent, modification = invitations.convene(_fresh(meeting), base_url=base_url(request))
    if outcome.ok:
        # Queued, not sent yet: the worker sends the queue of outgoing e-mails within the minute.
        what = "La modification de la réunion" if modification else "La convocation"
        messages.success(
            request, f"{what} est mise en file d'envoi pour {formatting.plural(sent, 'membre')}."
        )
    return redirect(meeting)


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    form = CancelForm(request.POST)
    if not form.is_valid():
        if form.has_error("reason", "single_line"):
            messages.error(request, form.errors["reason"][0])
        else:
            messages.error(request, "Motif de l'annulation : indiquez pourquoi la réunion est annulée.")
        return redirect(meeting)
    with errors_on(Notices(request)) as outcome:
        sent = meetings.cancel_meeting(
            _fresh(meeting), reason=form.cleaned_data["reason"], base_url=base_url(request)
        )
    if outcome.ok:
        told = (
            f" Le message d'annulation est mis en file d'envoi pour {formatting.plural(sent, 'membre')}."
            if sent
            else ""
        )
        messages.success(request, f"La réunion est annulée.{told}")
    return redirect(meeting)


@login_required
def meeting_attendance(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    form = AttendanceForm(request.POST or None, attendances=queries.attendances(meeting), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            attendance.record_attendance(
                _fresh(meeting), form.statuses(), participants_count=form.cleaned_data["participants_count"]
            )
        if outcome.ok:
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
    if request.method == "POST" and "extrait-kind" in request.POST:
        extract_form = ExtractForm(request.POST, prefix="extrait", committee=meeting.committee)
        if extract_form.is_valid():
            with errors_on(extract_form) as outcome:
                documents.attach_extract(
                    meeting,
                    kind=extract_form.cleaned_data["kind"],
                    territory=extract_form.cleaned_data["territory"],
                    by=request.user,
                )
            if outcome.ok:
                messages.success(request, "L'extrait est joint à la réunion, figé à la date de la réunion.")
                return redirect(f"{meeting.get_absolute_url()}#documents")
    elif request.method == "POST":
        upload_form = DocumentForm(request.POST, request.FILES, prefix="fichier")
        if upload_form.is_valid():
            with errors_on(upload_form) as outcome:
                documents.attach_file(
                    meeting,
                    upload=upload_form.cleaned_data["file"],
                    title=upload_form.cleaned_data["title"],
                    is_public=upload_form.cleaned_data["is_public"],
                    by=request.user,
                )
            if outcome.ok:
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


@sign_in_when_hidden
def document_view(request, pk: int):
    document = document_or_hide(request, pk)
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
    document = document_or_hide(request, pk)
    meeting = document.meeting
    _require_manager(request, meeting.committee)
    documents.remove_document(document)
    messages.success(request, f"Le document « {document.title} » est retiré.")
    return redirect(f"{meeting.get_absolute_url()}#documents")


@login_required
def minutes_edit(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    current = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesForm(
        request.POST or None,
        version=current.lock_version if current else NEW,
        initial={"text": current.text if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            minutes.save_minutes(
                meeting,
                text=form.cleaned_data["text"],
                by=request.user,
                expected_version=form.cleaned_data["lock_version"],
            )
        if outcome.ok:
            messages.success(request, "Le compte rendu est enregistré.")
            return redirect(f"{meeting.get_absolute_url()}#compte-rendu")
    context = {
        "title": f"Compte rendu – {meeting}",
        "meeting": meeting,
        "minutes": current,
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
    current = get_object_or_404(Minutes, meeting=meeting)
    lock = LockForm(request.POST)
    with errors_on(Notices(request)) as outcome:
        if not lock.is_valid():
            raise StaleEditError
        minutes.validate_minutes(current, by=request.user, expected_version=lock.cleaned_data["lock_version"])
    if outcome.ok:
        messages.success(request, "Le compte rendu est validé : les membres de l'instance peuvent le lire.")
    return redirect(f"{meeting.get_absolute_url()}#compte-rendu")


@login_required
def decision_create(request, pk: int):
    meeting = meeting_or_hide(request, pk)
    _require_manager(request, meeting.committee)
    form = DecisionForm(request.POST or None, committee=meeting.committee)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            decision = decisions.add_decision(meeting, **form.changes())
        if outcome.ok:
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
    require(perms.can_edit_decision(request.user, decision))
    owner_only = not perms.can_manage_committee(request.user, committee)
    form = DecisionForm(request.POST or None, committee=committee, decision=decision, owner_only=owner_only)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            decisions.update_decision(
                Decision.objects.select_related("meeting").get(pk=decision.pk),
                expected_version=form.cleaned_data["lock_version"],
                **form.changes(),
            )
        if outcome.ok:
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


@login_required
def my_decisions(request):
    status = request.GET.get("statut", "ouvertes")
    rows = queries.my_decisions(request.user, open_only=status == "ouvertes")
    today = timezone.localdate()
    if request.GET.get("format") == "csv":
        return csv_response("mes-decisions.csv", exports.DECISIONS_HEADER, exports.decision_rows(rows, today))
    page = Paginator(rows, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": "Mes décisions",
        "page": page,
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
