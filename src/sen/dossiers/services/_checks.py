"""Checks shared by submission, supplements and results: the files and the e-form.

Files are read first (``read_files``) and judged once the procedure is known
(``accept_files``), since a procedure may accept Office documents besides scans and photos.
A form judges one file as it is chosen by the same rules (``file_problem``).
Every check adds what it finds to a ``Problems`` list instead of raising, so that the answer
names every field and file that failed at once.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any, Self

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from jsonschema.exceptions import SchemaError

from sen.catalog.models import DocumentComponent, Procedure
from sen.core.filetypes import CONTENT_TYPES, detect_kind
from sen.core.transactions import StoredFiles
from sen.dossiers.codes import local_day
from sen.dossiers.errors import InvalidDossier
from sen.dossiers.models import Dossier, DossierEvent, DossierFile
from sen.eforms.validation import eform_errors, message_of, normalized
from sen.errors import DomainError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 50 * 1024 * 1024
# What a citizen may always attach: scans and photos of papers.
ACCEPTED_KINDS = ("pdf", "jpg", "png")
# What a citizen may attach besides, where the procedure accepts Office documents
# (``Procedure.accepts_office_documents``).
OFFICE_KINDS = ("docx", "xlsx", "odt", "ods", "doc", "xls")
# What a result may be: a signed PDF or a scan, never an Office document, whatever the
# procedure accepts from applicants.
RESULT_KINDS = ACCEPTED_KINDS


def accepted_kinds(*, office_documents: bool) -> tuple[str, ...]:
    """Return the kinds of file accepted, with the Office ones where they are allowed."""
    return ACCEPTED_KINDS + OFFICE_KINDS if office_documents else ACCEPTED_KINDS


def _not_accepted(name: str, kinds: tuple[str, ...]) -> str:
    if set(OFFICE_KINDS) <= set(kinds):
        return _(
            "Tệp “%(name)s” không phải PDF, JPEG, PNG hay tài liệu Word, Excel, OpenDocument "
            "(.doc, .docx, .xls, .xlsx, .odt, .ods)."
        ) % {"name": name}
    return _("Tệp “%(name)s” không phải PDF, JPEG hoặc PNG.") % {"name": name}


@dataclass(frozen=True)
class SubmittedFile:
    """A file as it reaches the submission service.

    ``position`` is the position of the document component it is for (``component_<n>``
    in the API), or ``None`` for a file beyond the components. ``size`` is what the
    upload declared; the service never reads more than the limit from ``stream``.
    ``requested`` is, for a supplement, the number of the paper in the request the file is
    sent for (``requested_<n>``, from 1); the service files it under that paper.
    """

    position: int | None
    name: str
    stream: IO[bytes]
    size: int
    requested: int | None = None

    @classmethod
    def of(
        cls, upload: UploadedFile, *, position: int | None, requested: int | None = None
    ) -> Self:
        """Return a file uploaded to a form or the API as the services take it."""
        return cls(
            position=position,
            name=upload.name or "",
            stream=upload,
            size=upload.size or 0,
            requested=requested,
        )


# More of one paper than anyone hands in: a typing slip, not a dossier.
MAX_PAPER_COUNT = 99


@dataclass(frozen=True)
class PaperHandedIn:
    """What the applicant handed in on paper of the component at ``position``, at the desk
    or by post: originals (bản chính), certified copies (bản sao), photocopies (bản chụp),
    and whether the original was only shown for comparison and given back."""

    position: int
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0
    original_shown: bool = False

    @classmethod
    def asked_by(cls, component: DocumentComponent) -> Self:
        """Return what the catalog asks of ``component``: for a required one its originals
        and copies (bản sao), or its original shown where none is handed in; nothing for an
        optional one."""
        if not component.required:
            return cls(position=component.position)
        return cls(
            position=component.position,
            originals=component.originals,
            certified_copies=component.copies,
            original_shown=component.shown_only,
        )

    @property
    def counts(self) -> tuple[int, int, int]:
        return (self.originals, self.certified_copies, self.photocopies)

    @property
    def is_empty(self) -> bool:
        """Return whether nothing of the paper was handed in nor shown."""
        return not any(self.counts) and not self.original_shown


@dataclass(frozen=True)
class ReadFile:
    """A submitted file read into memory, with its SHA-256 and the kind its content is.

    ``size`` is the number of bytes read, or the size the upload declared when that is over
    the limit (then nothing is read: ``content`` is empty). ``kind`` is empty for content of
    no known kind.
    """

    position: int | None
    name: str
    content: bytes
    sha256: str
    kind: str
    size: int
    requested: int | None = None
    # The name of the paper asked for, once the supplement service has looked it up.
    requested_item: str = ""

    @property
    def field(self) -> str:
        if self.requested is not None:
            return f"requested_{self.requested}"
        return f"component_{self.position}" if self.position is not None else "extra"

    @property
    def too_big(self) -> bool:
        return self.size > MAX_FILE_BYTES


class Problems:
    """Every problem found, so that the answer names each at once."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field, "message": str(message)})

    def raise_if_any(self, error: type[DomainError] = InvalidDossier, message: str = "") -> None:
        if self.items:
            raise error(message or _("Hồ sơ không hợp lệ."), details=self.items)


def _read(item: SubmittedFile) -> ReadFile:
    """Read one file no further than the limit, with its SHA-256 and detected kind."""
    name = item.name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    asked = item.requested
    if item.size > MAX_FILE_BYTES:
        return ReadFile(item.position, name, b"", "", "", item.size, asked)
    content = item.stream.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        return ReadFile(item.position, name, b"", "", "", len(content), asked)
    digest = hashlib.sha256(content).hexdigest()
    kind = detect_kind(content) or ""
    return ReadFile(item.position, name, content, digest, kind, len(content), asked)


def read_files(files: Iterable[SubmittedFile]) -> list[ReadFile]:
    """Read each file no further than the limit, with its SHA-256 and detected kind.

    Nothing is judged here: ``accept_files`` does, once the accepted kinds are known.
    """
    return [_read(item) for item in files]


def _problem(item: ReadFile, kinds: tuple[str, ...]) -> str:
    """Return what is wrong with one file read (size, emptiness, kind), or ""."""
    if item.too_big:
        return _("Tệp “%(name)s” lớn hơn 10 MB.") % {"name": item.name}
    if not item.content:
        return _("Tệp “%(name)s” rỗng.") % {"name": item.name}
    if item.kind not in kinds:
        return _not_accepted(item.name, kinds)
    return ""


def accept_files(
    read: Iterable[ReadFile], problems: Problems, *, kinds: tuple[str, ...] = ACCEPTED_KINDS
) -> list[ReadFile]:
    """Return the files that may be kept, adding a problem for each other, in their order.

    A file is refused when it is over 10 MB, empty or not of one of ``kinds`` (told by its
    content); all of them together must stay under 50 MB.
    """
    accepted: list[ReadFile] = []
    total = 0
    for item in read:
        total += item.size
        if problem := _problem(item, kinds):
            problems.add(item.field, problem)
        else:
            accepted.append(item)
    if total > MAX_TOTAL_BYTES:
        problems.add("files", _("Tổng dung lượng các tệp lớn hơn 50 MB."))
    return accepted


def file_problem(file: SubmittedFile, *, kinds: tuple[str, ...] = ACCEPTED_KINDS) -> str:
    """Return what the submission would find wrong with this one file, or "" if nothing.

    For a form that checks each file as it is chosen, with the service's rules and words:
    over 10 MB, empty, or not of one of ``kinds`` (told by its content). The total size
    is left to the submission. The stream is read no further than the limit and then put
    back where it was, so that the submission reads the file whole.
    """
    start = file.stream.tell()
    problem = _problem(_read(file), kinds)
    file.stream.seek(start)
    return problem


def check_form(procedure: Procedure, form_data: Any, problems: Problems) -> Any:
    """Return the e-form's data normalized (``sen.eforms.validation.normalized``: text
    stripped and in NFC, blank fields left out), which is what is stored, after checking it
    against the procedure's JSON Schema and Sen's own rules; one problem per error."""
    form_data = normalized(form_data)
    try:
        errors = eform_errors(procedure.form_schema, form_data)
    except SchemaError:
        problems.add("form", _("Biểu mẫu điện tử của thủ tục bị lỗi; hãy báo cơ quan."))
        return form_data
    for error in errors:
        path = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
        )
        problems.add(f"form{path}", message_of(error))
    return form_data


def store_files(
    *,
    dossier: Dossier,
    event: DossierEvent,
    files: Iterable[ReadFile],
    components: Mapping[int, DocumentComponent],
    first_index: int,
    stored: StoredFiles,
) -> None:
    """Store each file of the dossier through Django's storage and record it.

    Each file is stored through ``stored`` (``atomic_with_files``), which deletes them all
    if the transaction fails after. A dossier's files are kept in a folder
    of its own under the day it was submitted (``dossiers/2026/11/21/<id>/``): no folder
    grows past a day's dossiers, and the folder is known before the dossier's number is.
    """
    folder = f"dossiers/{local_day(dossier.submitted_at):%Y/%m/%d}/{dossier.pk}"
    for index, item in enumerate(files, start=first_index):
        prefix = f"{item.position:02d}" if item.position is not None else "extra"
        name = f"{folder}/{prefix}-{index:02d}-{item.sha256[:12]}.{item.kind}"
        saved = stored.save(name, ContentFile(item.content))
        DossierFile.objects.create(
            dossier=dossier,
            component=components.get(item.position) if item.position is not None else None,
            requested_item=item.requested_item,
            event=event,
            file=saved,
            original_name=item.name,
            content_type=CONTENT_TYPES[item.kind],
            size=len(item.content),
            sha256=item.sha256,
        )
