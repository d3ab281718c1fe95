"""Documents of a meeting: uploaded files (checked, kept in the database) and extracts of the observation
frozen as of the meeting day."""

import hashlib
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from pacte import formatting
from pacte.governance import extracts
from pacte.governance.enums import DOCUMENT_TYPES, MAX_UPLOAD_SIZE, DocumentKind
from pacte.governance.models import Document, Meeting, StoredFile
from pacte.governance.services.common import refuse


def store_upload(upload, *, by, pdf_only: bool = False, field: str = "file") -> StoredFile:
    """Check an uploaded file (size, extension, and for a PDF its signature) and keep its bytes."""
    name = Path(upload.name or "").name[:200] or "document"
    extension = Path(name).suffix.lower()
    allowed = {".pdf": DOCUMENT_TYPES[".pdf"]} if pdf_only else DOCUMENT_TYPES
    if extension not in allowed:
        kinds = ", ".join(sorted(ext.lstrip(".").upper() for ext in allowed))
        refuse(field, f"Le fichier « {name} » n'est pas d'un type accepté ({kinds}).")
    if upload.size > MAX_UPLOAD_SIZE:
        largest = formatting.file_size(MAX_UPLOAD_SIZE)
        refuse(field, f"Le fichier « {name} » dépasse la taille maximale de {largest}.")
    if upload.size == 0:
        refuse(field, f"Le fichier « {name} » est vide.")
    content = b"".join(upload.chunks())
    if extension == ".pdf" and not content.startswith(b"%PDF-"):
        refuse(field, f"Le fichier « {name} » n'est pas un PDF valide.")
    return StoredFile.objects.create(
        name=name,
        content_type=allowed[extension],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=by if by is not None and by.is_authenticated else None,
    )


@transaction.atomic
def attach_file(meeting: Meeting, *, upload, title: str, is_public: bool, by) -> Document:
    if upload is None:
        refuse("file", "Choisissez le fichier à joindre.")
    stored = store_upload(upload, by=by)
    document = Document(
        meeting=meeting,
        kind=DocumentKind.FILE,
        title=(title or stored.name)[:250],
        file=stored,
        is_public=is_public,
        added_by=by,
    )
    document.save()
    return document


@transaction.atomic
def attach_extract(meeting: Meeting, *, kind: str, by, territory=None) -> Document:
    """Freeze an extract of the observation as of the meeting day (or today, for a meeting to come)."""
    as_of = min(meeting.meeting_date, timezone.localdate())
    day = formatting.short_date(as_of)
    if kind == DocumentKind.DIAGNOSTIC:
        if territory is None:
            refuse("territory", "Choisissez le territoire du diagnostic.")
        html = extracts.diagnostic_extract(territory, as_of)
        title = f"Diagnostic territorial – {territory.name} (données au {day})"
    elif kind == DocumentKind.BAROMETER:
        territory = None
        html = extracts.barometer_extract(as_of)
        title = f"Baromètre du Pacte des solidarités (au {day})"
    else:
        refuse("kind", "Choisissez un extrait : diagnostic territorial ou baromètre.")
    return Document.objects.create(
        meeting=meeting,
        kind=kind,
        title=title,
        territory=territory,
        as_of=as_of,
        snapshot_html=html,
        is_public=True,
        added_by=by,
    )


@transaction.atomic
def remove_document(document: Document) -> None:
    stored = document.file
    document.delete()
    if stored is not None:
        stored.delete()
