"""iCalendar (RFC 5545) of the meetings: one event per meeting with a stable UID, a SEQUENCE raised at each
change of date, place or status, STATUS:CANCELLED for a cancelled meeting, times in Europe/Paris."""

from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//Pacte des solidarités//Gouvernance//FR"
UID_DOMAIN = "gouvernance.pacte-des-solidarites"


def meeting_uid(meeting) -> str:
    return f"{meeting.uid}@{UID_DOMAIN}"


def _description(meeting, url: str) -> str:
    lines = []
    items = list(meeting.agenda_items.all())
    if items:
        lines.append("Ordre du jour :")
        lines += [f"{index}. {item.title}" for index, item in enumerate(items, start=1)]
    if meeting.visio_url:
        lines.append(f"Visioconférence : {meeting.visio_url}")
    if meeting.details:
        lines.append(meeting.details)
    if meeting.is_cancelled and meeting.cancel_reason:
        lines.append(f"Réunion annulée : {meeting.cancel_reason}")
    if url:
        lines.append(f"Page de la réunion : {url}")
    return "\n".join(lines)


def meeting_event(meeting, url: str = "") -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("last-modified", meeting.updated_at or timezone.now())
    event.add("sequence", meeting.sequence)
    event.add("dtstart", timezone.localtime(meeting.starts_at, PARIS))
    event.add("dtend", timezone.localtime(meeting.ends_at, PARIS))
    prefix = "Annulée – " if meeting.is_cancelled else ""
    event.add("summary", f"{prefix}{meeting.title} ({meeting.committee.name})")
    location = meeting.place or meeting.visio_url
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    description = _description(meeting, url)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def calendar(name: str, meetings, url_of=lambda meeting: "", method: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    if method:
        cal.add("method", method)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, url_of(meeting)))
    cal.add_missing_timezones()
    return cal.to_ical()
