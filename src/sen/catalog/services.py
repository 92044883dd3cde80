"""Changes to the catalog: saving procedures as new versions, fields, import and export.

Every procedure enters through the checks of ``sen.catalog.interchange`` and leaves in the
same ``sen.catalog/1`` form, whether it comes from the admin, a JSON file or a workbook.
A saved version is never edited: a change makes version N+1 and marks version N
superseded, because a dossier may have been submitted under it.

``catalog_export`` and ``catalog_export_xlsx`` only read; they live here beside the
imports they are the other half of.

The blank forms of document components (mẫu đơn, tờ khai) are files, outside the format:
``component_template_set`` and ``component_template_clear`` change them on the current
version without making a new one.
"""

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import IntegrityError, connections, transaction
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.catalog.excel import SHEETS, catalog_from_workbook, workbook_from_catalog
from sen.catalog.interchange import (
    CATALOG_KEYS,
    FORMAT,
    clean_fields,
    clean_procedure,
    content_digest,
    procedure_to_dict,
    referenced_agency_codes,
)
from sen.catalog.models import (
    DocumentComponent,
    Fee,
    Field,
    Implementation,
    Procedure,
    ProcessStep,
)
from sen.catalog.reports import ImportProblem, ImportReport, ImportRow, Outcome
from sen.catalog.search import search_document, search_phrase
from sen.catalog.selectors import procedure_current_list, procedure_missing
from sen.catalog.signals import procedures_published
from sen.catalog.templatefiles import template_file_name, template_kind
from sen.core.errors import NotAllowed
from sen.core.models import Agency, User
from sen.core.services import audit_record
from sen.core.transactions import atomic_with_files
from sen.errors import Conflict, DomainError, InvalidInput


class InvalidProcedure(DomainError):
    """The procedure breaks one or more rules; ``details`` lists every problem."""

    code = "invalid_procedure"
    status = 400


class InvalidField(DomainError):
    code = "invalid_field"
    status = 400


class ProcedureConflict(Conflict):
    """Someone else saved the same procedure at the same moment."""

    code = "procedure_conflict"


class ProcedureSuperseded(Conflict):
    """The version has been superseded: only the current version's templates change."""

    code = "procedure_superseded"


class InvalidTemplateFile(InvalidInput):
    """The uploaded blank form is empty, too big or not a kind of file we accept.

    ``details`` holds one ``{"field": "upload", "reason": …}`` with the reason
    ``empty``, ``too_large`` or ``unsupported_type``.
    """

    code = "invalid_template_file"


def _agencies(codes: Iterable[str]) -> dict[str, Agency]:
    return {agency.code: agency for agency in Agency.objects.filter(code__in=list(codes))}


def _closed(agencies: dict[str, Agency]) -> set[str]:
    return {code for code, agency in agencies.items() if not agency.is_active}


def _update_search_vectors(procedures: QuerySet[Procedure]) -> None:
    """Fill the full-text vector from ``search_text`` (PostgreSQL only; SQLite has none)."""
    if connections[procedures.db].vendor == "postgresql":
        procedures.update(search_vector=SearchVector("search_text", config="simple"))


def _search_text(*, name: str, code: str, field: Field) -> str:
    return search_document(name=name, code=code, field_name=field.name)


@dataclasses.dataclass(frozen=True)
class _Existing:
    """The current version of a code (if any) and the highest version number used."""

    current: Procedure | None
    latest_version: int


def _existing(codes: list[str]) -> dict[str, _Existing]:
    """Lock the current versions of ``codes`` and read what a new version carries over.

    The lock (PostgreSQL; SQLite writes one at a time anyway) orders a save after a
    template change of the same version that is still running, so the new version
    carries the changed template instead of a file that change is about to delete.
    """
    templates = DocumentComponent.objects.exclude(template="").only(
        "procedure_id", "name", "template", "template_sha256"
    )
    currents = {
        procedure.code: procedure
        for procedure in Procedure.objects.filter(code__in=codes, is_current=True)
        .select_for_update()
        .only("id", "code", "version", "content_digest")
        .prefetch_related(Prefetch("components", queryset=templates))
    }
    latest = dict(
        Procedure.objects.filter(code__in=codes)
        .values("code")
        .annotate(latest=Max("version"))
        .values_list("code", "latest")
    )
    return {
        code: _Existing(current=currents.get(code), latest_version=latest.get(code, 0))
        for code in codes
    }


def _write_procedures(
    procedures: list[dict[str, Any]],
    *,
    existing: dict[str, _Existing],
    fields: dict[str, Field],
    agencies: dict[str, Agency],
    actor: User | None,
) -> list[tuple[Procedure, Outcome]]:
    """Store checked, canonical procedure dicts as new versions, except those unchanged.

    Return the current version of each and what happened to it, in order. Writes in
    batches (one statement per table, not per procedure) and fills the search vectors.
    """
    now = timezone.now()
    results: list[tuple[Procedure, Outcome]] = []
    new: list[tuple[Procedure, dict[str, Any], dict[str, DocumentComponent]]] = []
    superseded: list[int] = []
    for procedure in procedures:
        digest = content_digest(procedure)
        current = existing[procedure["code"]].current
        if current is not None and current.content_digest == digest:
            results.append((current, Outcome.UNCHANGED))
            continue
        templates: dict[str, DocumentComponent] = {}
        if current is not None:
            superseded.append(current.pk)
            # Templates (blank forms) are files, not part of the format: a new version
            # keeps those of the components that kept their name, file and digest alike.
            templates = {c.name: c for c in current.components.all() if c.template}
        field = fields[procedure["field"]]
        version = Procedure(
            code=procedure["code"],
            version=existing[procedure["code"]].latest_version + 1,
            is_current=True,
            name=procedure["name"],
            field=field,
            online_level=procedure["online_level"],
            processing_days=Decimal(procedure["processing_days"]),
            description=procedure["description"],
            applicants=procedure["applicants"],
            conditions=procedure["conditions"],
            legal_basis=procedure["legal_basis"],
            results=procedure["results"],
            accepts_office_documents=procedure.get("accepts_office_documents", False),
            form_schema=procedure["form_schema"],
            search_text=_search_text(name=procedure["name"], code=procedure["code"], field=field),
            search_name=search_phrase(procedure["name"]),
            content_digest=digest,
            created_at=now,
        )
        new.append((version, procedure, templates))
        results.append((version, Outcome.CREATED if current is None else Outcome.NEW_VERSION))
    if not new:
        return results

    # Superseded first: only one version of a code may be current.
    Procedure.objects.filter(pk__in=superseded).update(is_current=False, superseded_at=now)
    _insert_procedures([version for version, _procedure, _templates in new])
    implementations, components, fees, steps = [], [], [], []
    for version, procedure, templates in new:
        for position, item in enumerate(procedure["implementations"], start=1):
            agency = agencies[item["agency"]] if item["agency"] else None
            implementations.append(
                Implementation(
                    procedure=version, position=position, level=item["level"], agency=agency
                )
            )
        for position, item in enumerate(procedure["components"], start=1):
            kept = templates.get(item["name"])
            components.append(
                DocumentComponent(
                    procedure=version,
                    position=position,
                    name=item["name"],
                    originals=item["originals"],
                    copies=item["copies"],
                    required=item["required"],
                    note=item["note"],
                    template=kept.template.name if kept else "",
                    template_sha256=kept.template_sha256 if kept else "",
                )
            )
        for position, item in enumerate(procedure["fees"], start=1):
            fees.append(
                Fee(
                    procedure=version,
                    position=position,
                    kind=item["kind"],
                    amount=item["amount"],
                    description=item["description"],
                )
            )
        for position, item in enumerate(procedure["steps"], start=1):
            steps.append(
                ProcessStep(
                    procedure=version,
                    position=position,
                    name=item["name"],
                    role=item["role"],
                    agency=agencies[item["agency"]] if item["agency"] else None,
                    duration=Decimal(item["duration"]),
                    unit=item["unit"],
                )
            )
    Implementation.objects.bulk_create(implementations, batch_size=_BATCH)
    DocumentComponent.objects.bulk_create(components, batch_size=_BATCH)
    Fee.objects.bulk_create(fees, batch_size=_BATCH)
    ProcessStep.objects.bulk_create(steps, batch_size=_BATCH)
    _update_search_vectors(Procedure.objects.filter(pk__in=[v.pk for v, _p, _t in new]))
    for version, _procedure, _templates in new:
        audit_record(
            actor=actor,
            action=(
                "catalog.procedure.created"
                if version.version == 1
                else "catalog.procedure.versioned"
            ),
            target=version,
            data={"version": version.version, "content_digest": version.content_digest},
        )
    procedures_published.send(sender=Procedure, versions=[version for version, _p, _t in new])
    return results


_BATCH = 500


def _insert_procedures(versions: list[Procedure]) -> None:
    """Insert new versions and learn their ids: in batches where the database says them."""
    if connections[Procedure.objects.db].features.can_return_rows_from_bulk_insert:
        Procedure.objects.bulk_create(versions, batch_size=_BATCH)
    else:  # pragma: no cover - SQLite before 3.35
        for version in versions:
            version.save(force_insert=True)


def procedure_save(*, data: dict[str, Any], actor: User | None) -> Procedure:
    """Check a procedure in the ``sen.catalog/1`` form and store it; return the current version.

    A new code becomes version 1; content identical to the current version changes
    nothing and returns it; anything else becomes version N+1 and supersedes version N.
    Raise ``InvalidProcedure`` listing every problem, or ``ProcedureConflict`` if another
    save of the same code won the race.
    """
    try:
        with transaction.atomic():
            fields = {field.code: field for field in Field.objects.all()}
            agencies = _agencies(referenced_agency_codes([data]))
            procedure, problems = clean_procedure(
                data,
                field_codes=fields,
                agency_codes=agencies,
                closed_agency_codes=_closed(agencies),
            )
            if procedure is None:
                raise InvalidProcedure(
                    _("Thủ tục không hợp lệ."), details=[problem.as_dict() for problem in problems]
                )
            [(saved, _outcome)] = _write_procedures(
                [procedure],
                existing=_existing([procedure["code"]]),
                fields=fields,
                agencies=agencies,
                actor=actor,
            )
            return saved
    except IntegrityError as error:
        raise ProcedureConflict(
            _("Thủ tục %(code)s vừa được lưu bởi người khác; hãy tải lại và thử lại.")
            % {"code": data.get("code")}
        ) from error


# --- Blank forms of document components (mẫu đơn, tờ khai) ---------------------------------
#
ABOLITION_BASIS_MAX = 500


def procedure_abolish(*, code: str, basis: str, actor: User | None) -> Procedure:
    """Stop taking dossiers for a procedure the competent authority abolished (bãi bỏ).

    Its current version stops being current, recording when and the act that abolished it
    (``basis``, e.g. "Quyết định số 123/QĐ-BTP ngày 01/11/2026"). No new dossier is taken
    for it, online, at the desk or by post: they are answered ``ProcedureAbolished`` (410)
    with that act; the catalog no longer lists it. Dossiers already taken go on under their
    version. Saving the code again later makes a new current version. Needs the right to
    change the catalog; raise ``NotAllowed``, ``InvalidInput`` for a missing or long
    basis, or ``ProcedureNotFound``.
    """
    if actor is not None and not actor.has_perm("catalog.add_procedure"):
        raise NotAllowed(_("Bạn không có quyền bãi bỏ thủ tục."))
    basis = basis.strip()
    if not basis:
        raise InvalidInput(_("Hãy ghi văn bản bãi bỏ thủ tục (số, ngày, cơ quan ban hành)."))
    if len(basis) > ABOLITION_BASIS_MAX:
        raise InvalidInput(
            _("Văn bản bãi bỏ dài quá %(limit)d ký tự.") % {"limit": ABOLITION_BASIS_MAX}
        )
    with transaction.atomic():
        current = Procedure.objects.select_for_update().filter(code=code, is_current=True).first()
        if current is None:
            raise procedure_missing(code)
        current.is_current = False
        current.abolished_at = timezone.now()
        current.abolition_basis = basis
        current.save(update_fields=["is_current", "abolished_at", "abolition_basis"])
        audit_record(
            actor=actor,
            action="catalog.procedure.abolished",
            target=current,
            data={"version": current.version, "basis": basis},
        )
    return current


# A template is a convenience for the applicant, not part of the legal content of a
# procedure version (the components, fees and times the law sets are): changing it neither
# makes a new version nor touches ``content_digest``. It may only change on the current
# version, since a superseded one is history.

TEMPLATE_MAX_BYTES = 10 * 1024 * 1024
TEMPLATE_PERMISSION = "catalog.change_procedure"


def template_change_allowed(actor: User | None) -> bool:
    """Return whether ``actor`` may attach or remove templates: the system, a superuser,
    or a user with the ``catalog.change_procedure`` permission (active users only)."""
    return actor is None or actor.has_perm(TEMPLATE_PERMISSION)


def _require_template_change(actor: User | None) -> None:
    if not template_change_allowed(actor):
        raise NotAllowed(_("Bạn không có quyền thay đổi mẫu đơn, tờ khai của thủ tục."))


def _invalid_template(message: str, reason: str) -> InvalidTemplateFile:
    return InvalidTemplateFile(message, details=[{"field": "upload", "reason": reason}])


def _template_content(upload: File) -> tuple[bytes, str]:
    """Read an uploaded template and return its bytes and the extension of its kind.

    Raise ``InvalidTemplateFile`` unless it is 1 byte to 10 MB of PDF, Word, Excel or
    OpenDocument, told by content (``sen.catalog.templatefiles``).
    """
    too_large = _invalid_template(_("Tệp mẫu lớn quá 10 MB."), "too_large")
    if upload.size is not None and upload.size > TEMPLATE_MAX_BYTES:
        raise too_large
    upload.seek(0)
    # One byte more than allowed, in case the declared size was wrong.
    content = upload.read(TEMPLATE_MAX_BYTES + 1)
    if len(content) > TEMPLATE_MAX_BYTES:
        raise too_large
    if not content:
        raise _invalid_template(_("Tệp mẫu rỗng."), "empty")
    extension = template_kind(content)
    if extension is None:
        raise _invalid_template(
            _(
                "Nội dung tệp không phải PDF, Word (.doc, .docx), Excel (.xls, .xlsx) hay "
                "OpenDocument (.odt, .ods); chỉ nhận mẫu đơn, tờ khai thuộc các loại này."
            ),
            "unsupported_type",
        )
    return content, extension


def _locked_current_component(component: DocumentComponent) -> DocumentComponent:
    """Lock the component's version and return the component as stored, if that version
    is current; otherwise raise ``ProcedureSuperseded``.

    Every change of a version's templates, and ``procedure_save``, locks the version row
    first, so a template change and a new version never cross.
    """
    procedure = (
        Procedure.objects.select_for_update()
        .only("id", "code", "version", "is_current")
        .get(pk=component.procedure_id)
    )
    if not procedure.is_current:
        raise ProcedureSuperseded(
            _(
                "Phiên bản %(version)d của thủ tục %(code)s đã bị thay thế; chỉ thay đổi "
                "được mẫu đơn, tờ khai của phiên bản hiện hành."
            )
            % {"version": procedure.version, "code": procedure.code}
        )
    stored = DocumentComponent.objects.get(pk=component.pk)
    stored.procedure = procedure
    return stored


def _delete_if_unused(storage: Storage, name: str) -> None:
    """Delete a template file no component refers to any more.

    Superseded versions share their templates with the version after them: a file stays
    while any of them still names it.
    """
    if not DocumentComponent.objects.filter(template=name).exists():
        storage.delete(name)


def _delete_after_commit(storage: Storage, name: str) -> None:
    # After commit, so that a failed change loses nothing; robust, because the change is
    # already saved when a storage error happens, and the file is only left over.
    if name:
        transaction.on_commit(functools.partial(_delete_if_unused, storage, name), robust=True)


def component_template_set(
    *, component: DocumentComponent, upload: File, actor: User | None
) -> DocumentComponent:
    """Attach a blank form to a component of the current version, or replace its form.

    The file is checked by content (see ``_template_content``) and stored under a name
    made from the procedure code and the component's position, with the extension of the
    kind detected, whatever the uploaded name says. Its SHA-256 is kept beside it. The
    replaced file is deleted after commit, unless a superseded version still uses it.
    Return the component as saved. Raise ``NotAllowed``, ``InvalidTemplateFile`` or
    ``ProcedureSuperseded``; then nothing has changed.
    """
    _require_template_change(actor)
    content, extension = _template_content(upload)
    sha256 = hashlib.sha256(content).hexdigest()
    uploaded_name = str(upload.name or "")
    with atomic_with_files(component.template.storage) as stored:
        locked = _locked_current_component(component)
        old_name, old_sha256 = locked.template.name or "", locked.template_sha256
        name = template_file_name(
            code=locked.procedure.code,
            position=locked.position,
            original_name=uploaded_name,
            sha256=sha256,
            extension=extension,
        )
        stored_name = stored.save(
            locked.template.field.generate_filename(locked, name), ContentFile(content)
        )
        locked.template = stored_name
        locked.template_sha256 = sha256
        locked.save(update_fields=["template", "template_sha256"])
        audit_record(
            actor=actor,
            action="catalog.component.template_set",
            target=locked.procedure,
            data={
                "position": locked.position,
                "component": locked.name,
                "file_name": uploaded_name,
                "stored_as": stored_name,
                "size": len(content),
                "sha256": sha256,
                "replaced_sha256": old_sha256,
            },
        )
        _delete_after_commit(locked.template.storage, old_name)
    return locked


def component_template_clear(
    *, component: DocumentComponent, actor: User | None
) -> DocumentComponent:
    """Remove the blank form of a component of the current version; return the component.

    The file is deleted after commit, unless a superseded version still uses it. Removing
    from a component without a template changes nothing and records nothing. Raise
    ``NotAllowed`` or ``ProcedureSuperseded``; then nothing has changed.
    """
    _require_template_change(actor)
    with transaction.atomic():
        locked = _locked_current_component(component)
        old_name, old_sha256 = locked.template.name or "", locked.template_sha256
        if not old_name:
            return locked
        storage = locked.template.storage
        locked.template = ""
        locked.template_sha256 = ""
        locked.save(update_fields=["template", "template_sha256"])
        audit_record(
            actor=actor,
            action="catalog.component.template_cleared",
            target=locked.procedure,
            data={
                "position": locked.position,
                "component": locked.name,
                "stored_as": old_name,
                "sha256": old_sha256,
            },
        )
        _delete_after_commit(storage, old_name)
    return locked


def _refresh_field_search(fields: list[Field]) -> None:
    """Rewrite the search text of current procedures in renamed fields (derived data only)."""
    if not fields:
        return
    names = {field.pk: field for field in fields}
    procedures = list(
        Procedure.objects.filter(is_current=True, field__in=fields).only(
            "id", "code", "name", "field_id"
        )
    )
    for procedure in procedures:
        procedure.search_text = _search_text(
            name=procedure.name, code=procedure.code, field=names[procedure.field_id]
        )
    Procedure.objects.bulk_update(procedures, ["search_text"], batch_size=500)
    _update_search_vectors(Procedure.objects.filter(pk__in=[p.pk for p in procedures]))


def _write_fields(
    items: list[dict[str, str]], *, actor: User | None
) -> tuple[dict[str, Field], list[Field], list[Field]]:
    """Create or rename fields; return every field by code, the created and the renamed."""
    fields = {field.code: field for field in Field.objects.all()}
    created, renamed = [], []
    for item in items:
        field = fields.get(item["code"])
        if field is None:
            field = Field.objects.create(code=item["code"], name=item["name"])
            fields[field.code] = field
            created.append(field)
            audit_record(actor=actor, action="catalog.field.created", target=field)
        elif field.name != item["name"]:
            old_name, field.name = field.name, item["name"]
            field.save(update_fields=["name"])
            renamed.append(field)
            audit_record(
                actor=actor,
                action="catalog.field.renamed",
                target=field,
                data={"from": old_name, "to": field.name},
            )
    return fields, created, renamed


def field_save(*, code: str, name: str, actor: User | None) -> Field:
    """Create a field (lĩnh vực) or rename it; the procedures in it are found by the new name."""
    items, problems = clean_fields([{"code": code, "name": name}])
    if problems:
        raise InvalidField(
            _("Lĩnh vực không hợp lệ."),
            details=[
                {"field": problem.field.removeprefix("fields[0]."), "message": problem.message}
                for problem in problems
            ],
        )
    with transaction.atomic():
        fields, _created, renamed = _write_fields(items, actor=actor)
        _refresh_field_search(renamed)
        return fields[code]


@dataclasses.dataclass
class _Checked:
    fields: list[dict[str, str]]
    procedures: list[tuple[int, dict[str, Any]]]
    agencies: dict[str, Agency]


def _catalog_check(data: Any) -> tuple[_Checked | None, list[ImportProblem]]:
    """Check a whole catalog dict against the database; return it ready to write, or problems."""
    problems: list[ImportProblem] = []
    if not isinstance(data, dict):
        return None, [ImportProblem(_("Tệp phải chứa một đối tượng JSON."))]
    for key in data:
        if key not in CATALOG_KEYS:
            problems.append(
                ImportProblem(
                    _("Trường này không thuộc định dạng %(format)s.") % {"format": FORMAT},
                    field=str(key),
                )
            )
    if data.get("format") != FORMAT:
        problems.append(
            ImportProblem(_('Định dạng phải là "%(format)s".') % {"format": FORMAT}, field="format")
        )
    fields, field_problems = clean_fields(data.get("fields"))
    problems += [ImportProblem(p.message, field=p.field) for p in field_problems]
    raw_procedures = data.get("procedures")
    if not isinstance(raw_procedures, list):
        problems.append(ImportProblem(_("Phải là một danh sách thủ tục."), field="procedures"))
        raw_procedures = []

    field_codes = {field.code for field in Field.objects.only("code")}
    field_codes |= {field["code"] for field in fields}
    agencies = _agencies(referenced_agency_codes(raw_procedures))
    checked: list[tuple[int, dict[str, Any]]] = []
    first_index: dict[str, int] = {}
    for index, item in enumerate(raw_procedures):
        code = item.get("code") if isinstance(item, dict) else None
        code = code if isinstance(code, str) else ""
        procedure, procedure_problems = clean_procedure(
            item,
            field_codes=field_codes,
            agency_codes=agencies,
            closed_agency_codes=_closed(agencies),
        )
        problems += [
            ImportProblem(p.message, field=p.field, index=index, code=code)
            for p in procedure_problems
        ]
        if code and code in first_index:
            problems.append(
                ImportProblem(
                    _("Mã thủ tục %(code)s đã có ở procedures[%(first)d].")
                    % {"code": code, "first": first_index[code]},
                    field="code",
                    index=index,
                    code=code,
                )
            )
        first_index.setdefault(code, index)
        if procedure is not None:
            checked.append((index, procedure))
    if problems:
        return None, problems
    return _Checked(fields=fields, procedures=checked, agencies=agencies), []


def _catalog_write(checked: _Checked, *, actor: User | None, source: str) -> ImportReport:
    fields, created_fields, renamed_fields = _write_fields(checked.fields, actor=actor)
    procedures = [procedure for _index, procedure in checked.procedures]
    written = _write_procedures(
        procedures,
        existing=_existing([procedure["code"] for procedure in procedures]),
        fields=fields,
        agencies=checked.agencies,
        actor=actor,
    )
    report = ImportReport(fields_created=len(created_fields), fields_renamed=len(renamed_fields))
    for (index, _procedure), (saved, outcome) in zip(checked.procedures, written, strict=True):
        report.rows.append(ImportRow(index, saved.code, outcome, saved.version))
    _refresh_field_search(renamed_fields)
    audit_record(
        actor=actor,
        action="catalog.imported",
        target_type="catalog.catalog",
        target_key=source[:120],
        data={
            key: value
            for key, value in report.as_dict().items()
            if key not in ("rows", "problems", "ok")
        },
    )
    return report


def catalog_import(*, data: dict[str, Any], actor: User | None, source: str = "") -> ImportReport:
    """Import a whole catalog (``sen.catalog/1``): all of it, or nothing if anything is wrong.

    Fields are created or renamed; each procedure is saved as by ``procedure_save``. The
    report lists every problem (procedure index and code, path of the value, message) or,
    on success, what happened to each procedure. ``source`` (a file name) goes to the
    audit log.
    """
    with transaction.atomic():
        checked, problems = _catalog_check(data)
        if checked is None:
            return ImportReport(problems=problems)
        return _catalog_write(checked, actor=actor, source=source)


def catalog_import_xlsx(*, content: bytes, actor: User | None, source: str = "") -> ImportReport:
    """Import a workbook in the layout of ``catalog_export_xlsx``; all of it, or nothing.

    Problems name the sheet, the row and the column at fault.
    """
    catalog, locator, reading_problems = catalog_from_workbook(content)
    with transaction.atomic():
        checked, problems = _catalog_check(catalog)
        located = [locator(p) for p in problems if not locator.already_reported(p)]
        all_problems = _in_file_order([*reading_problems, *located])
        if checked is None or all_problems:
            return ImportReport(problems=all_problems)
        return _catalog_write(checked, actor=actor, source=source)


def _in_file_order(problems: list[ImportProblem]) -> list[ImportProblem]:
    sheets = list(SHEETS)

    def key(problem: ImportProblem) -> tuple[int, int]:
        sheet = sheets.index(problem.sheet) if problem.sheet in sheets else -1
        return sheet, problem.row or 0

    return sorted(problems, key=key)


# The whole catalog's exports are public and cost seconds for 2,000 procedures: they are
# cached under a digest of what they show, so any change gives a new key.
EXPORT_CACHE_SECONDS = 600


def _export_revision() -> str:
    """Return a digest of everything a full export shows (versions, fields, agency names)."""
    parts = [
        list(
            Procedure.objects.filter(is_current=True)
            .order_by("code")
            .values_list("code", "version", "content_digest")
        ),
        list(Field.objects.order_by("code").values_list("code", "name")),
        list(Agency.objects.order_by("code").values_list("code", "name")),
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _cached_export(kind: str, build: Callable[[], Any]) -> Any:
    key = f"sen.catalog.export.{kind}.{_export_revision()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, EXPORT_CACHE_SECONDS)
    return value


def _catalog_export(codes: Iterable[str] | None) -> dict[str, Any]:
    procedures = list(procedure_current_list(codes=codes))
    if codes is None:
        fields = list(Field.objects.order_by("code"))
    else:
        used = {procedure.field for procedure in procedures}
        fields = sorted(used, key=lambda field: field.code)
    return {
        "format": FORMAT,
        "fields": [{"code": field.code, "name": field.name} for field in fields],
        "procedures": [procedure_to_dict(procedure) for procedure in procedures],
    }


def _catalog_export_xlsx(codes: Iterable[str] | None) -> bytes:
    catalog = _catalog_export(codes)
    names = dict(
        Agency.objects.filter(code__in=referenced_agency_codes(catalog)).values_list("code", "name")
    )
    return workbook_from_catalog(catalog, agency_names=names)


def catalog_export(*, codes: Iterable[str] | None = None) -> dict[str, Any]:
    """Return the current versions (all, or those with these codes) in ``sen.catalog/1``.

    Without codes every field is included; with codes, the fields those procedures use.
    """
    if codes is not None:
        return _catalog_export(codes)
    # The cache hands out a fresh copy (it pickles), so callers may change what they get.
    catalog: dict[str, Any] = _cached_export("json", lambda: _catalog_export(None))
    return catalog


def catalog_export_xlsx(*, codes: Iterable[str] | None = None) -> bytes:
    """Return the same content as ``catalog_export`` as an Excel workbook."""
    if codes is not None:
        return _catalog_export_xlsx(codes)
    content: bytes = _cached_export("xlsx", lambda: _catalog_export_xlsx(None))
    return content
