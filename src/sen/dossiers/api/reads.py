"""Reading dossiers: "my dossiers", the officers' queue, an agency's register, one dossier.

Access checks live in :mod:`sen.dossiers.selectors`: a user who may not read a dossier gets
404, as for an unknown code.
"""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Query

from sen.catalog.selectors import procedure_get
from sen.core.filetypes import CONTENT_TYPES
from sen.core.responses import private_download
from sen.dossiers import receiving
from sen.dossiers.api.bodies import detail_body, summary
from sen.dossiers.api.routers import dossiers_router
from sen.dossiers.api.schemas import (
    AgencyRef,
    DossierDetail,
    DossierPage,
    QueueFilters,
    QueuePage,
    ReceivingAgenciesFilter,
    RegisterFilters,
)
from sen.dossiers.errors import DossierFileNotFound
from sen.dossiers.models import Dossier, DossierFile, DossierResult
from sen.dossiers.register import register_data, register_dossiers
from sen.dossiers.selectors import (
    dossier_get_for_reader,
    dossiers_of_applicant,
    officer_queue,
    shown_results,
)
from sen.dossiers.slips import render_register
from sen.schemas import ErrorOut, PageParams


def _page(dossiers: Any, filters: PageParams) -> tuple[int, list[Dossier]]:
    start = (filters.page - 1) * filters.page_size
    return dossiers.count(), list(dossiers[start : start + filters.page_size])


@dossiers_router.get(
    "/mine",
    response={200: DossierPage, 400: ErrorOut, 401: ErrorOut},
    summary="Hồ sơ của tôi",
    url_name="dossiers_mine",
    operation_id="sen_dossiers_api_mine",
)
def mine(request: HttpRequest, filters: Query[PageParams]) -> dict[str, Any]:
    """List the signed-in user's own dossiers, newest first."""
    now = timezone.now()
    count, rows = _page(dossiers_of_applicant(user=request.user), filters)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [summary(dossier, now) for dossier in rows],
    }


@dossiers_router.get(
    "/queue",
    response={200: QueuePage, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="Hồ sơ cần xử lý của cán bộ",
    url_name="dossier_queue",
    operation_id="sen_dossiers_api_queue",
)
def queue(request: HttpRequest, filters: Query[QueueFilters]) -> dict[str, Any]:
    """List the dossiers of the agencies where the signed-in officer holds a role.

    Without `status`, the dossiers not yet finished; with it, those in that status.
    With `my_turn`, only those whose next move is the officer's.
    Sorted by due moment, soonest first; dossiers not yet received (no due moment) last.
    The list stops at the first 1,000 dossiers in that order: a page past them answers 200
    with no `results`. `count` is exact up to 1,000; beyond, `count` is 1000 and
    `count_capped` true, saying that there are more than the list shows: narrow it with the
    filters (`status`, `procedure`, `overdue`, `due_within_days`, `my_turn`) to reach them.
    Answers 403 `permission_denied` to a user without any role in an agency, and 400
    `procedure_filter_too_broad` when `procedure` names too many procedures to filter by.
    """
    now = timezone.now()
    queued = officer_queue(
        user=request.user,
        procedure=filters.procedure or None,
        status=filters.status,
        due_within_days=filters.due_within_days,
        overdue=filters.overdue,
        my_turn=filters.my_turn,
        now=now,
    )
    counted = queued.count()
    # The queue lists its first QUEUE_COUNT_CAP dossiers; filters reach the others.
    start = min((filters.page - 1) * filters.page_size, counted.value)
    end = min(start + filters.page_size, counted.value)
    rows = list(queued.dossiers[start:end]) if end > start else []
    return {
        "count": counted.value,
        "count_capped": counted.capped,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [
            {**summary(dossier, now), "applicant_name": dossier.applicant_name} for dossier in rows
        ],
    }


@dossiers_router.get(
    "/register",
    response={400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Sổ theo dõi hồ sơ (PDF)",
    url_name="dossier_register",
    operation_id="sen_dossiers_api_register",
    openapi_extra={
        "responses": {
            200: {
                "description": (
                    "Sổ theo dõi hồ sơ của cơ quan trong kỳ, PDF: mỗi hồ sơ tiếp nhận một "
                    "dòng, theo thứ tự trong sổ. Cột STT là số thứ tự của hồ sơ trong "
                    "quyển sổ của năm tiếp nhận (`register_number` của hồ sơ), như giấy tiếp "
                    "nhận in; kỳ nằm trọn trong một năm thì in tên quyển (`<yy>/<mã cơ "
                    "quan>`), kỳ qua hai năm thì STT kèm năm của quyển (`25/0012`)."
                ),
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def register(request: HttpRequest, filters: Query[RegisterFilters]) -> HttpResponse:
    """Render the dossier register (mẫu 07) of an agency: the dossiers received in the period.

    Each line's STT is the dossier's number in the agency's book of its year of receipt,
    the number its receipt slip prints, so an officer finds a slip's entry in the register.

    For the agency's one-stop officers and leaders; each download is recorded in the audit
    log, since the register carries the applicants' names, addresses and phone numbers.
    Errors: 400 `invalid_input` for a missing or malformed date, a period that ends before
    it starts or is longer than 366 days; 401 `not_authenticated`; 403 `permission_denied`
    to anyone else; 404 `agency_not_found` for an unknown agency code.
    """
    read = register_dossiers(
        user=request.user, agency_code=filters.agency, start=filters.start, end=filters.end
    )
    # The register is a legal form, printed in Vietnamese whatever the reader's language.
    with translation.override("vi"):
        pdf = render_register(register_data(read))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"so-theo-doi-ho-so-{read.agency.code}-{read.start:%Y%m%d}-{read.end:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@dossiers_router.get(
    "/receiving-agencies",
    auth=None,
    response={200: list[AgencyRef], 400: ErrorOut, 404: ErrorOut},
    summary="Cơ quan tiếp nhận hồ sơ của một thủ tục",
    url_name="receiving_agencies",
    operation_id="sen_dossiers_api_receiving_agencies",
)
def receiving_agencies(
    request: HttpRequest, filters: Query[ReceivingAgenciesFilter]
) -> list[dict[str, str]]:
    """List the agencies that receive dossiers of the procedure's current version, by name.

    A submission names one of them as its `agency` when there are several: a procedure of
    every commune's people's committee (its `implementations` name no agency) is received
    by each active commune committee. Open to anyone, as the catalog is. Errors: 404
    `procedure_not_found` for an unknown code.
    """
    procedure = procedure_get(code=filters.procedure)
    agencies = receiving.receiving_agencies(procedure=procedure)
    return [{"code": agency.code, "name": agency.name} for agency in agencies]


@dossiers_router.get(
    "/{code}",
    response={200: DossierDetail, 401: ErrorOut, 404: ErrorOut},
    summary="Xem một hồ sơ",
    url_name="dossier_detail",
    operation_id="sen_dossiers_api_detail",
)
def detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """Show a dossier to its applicant or to an officer of an agency working on it.

    Includes the applicant's personal data; each officer's read is recorded in the audit
    log. Answers 404 `dossier_not_found` to anyone else, as for an unknown code.
    """
    read = dossier_get_for_reader(code=code, user=request.user)
    return detail_body(read.dossier, reader=read.reader, user=request.user)


def _download_doc(what: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": (
                    f"{what}, as an attachment, with the content type its checks told from "
                    "its content (PDF, JPEG, PNG or an Office format)."
                ),
                # The type told from the content at upload, one of those Sen accepts.
                "content": {
                    kind: {"schema": {"type": "string", "format": "binary"}}
                    for kind in sorted(set(CONTENT_TYPES.values()))
                },
            }
        }
    }


def _nth_download(
    items: Sequence[DossierFile | DossierResult], code: str, number: int, missing: str
) -> HttpResponseBase:
    """Send the ``number``-th of ``items`` (from 1) as a private download; raise
    ``DossierFileNotFound`` with ``missing`` (formatted with the code and number) if none."""
    if not 1 <= number <= len(items):
        raise DossierFileNotFound(missing % {"code": code, "number": number})
    item = items[number - 1]
    return private_download(item.file, name=item.original_name, content_type=item.content_type)


@dossiers_router.get(
    "/{code}/files/{number}",
    response={400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Tải một tệp đã nộp của hồ sơ",
    url_name="dossier_file",
    operation_id="sen_dossiers_api_file",
    openapi_extra=_download_doc("The file"),
)
def dossier_file(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    """Download the ``number``-th file (from 1, as `files` lists them) sent with the dossier.

    For the applicant and an officer allowed to read the dossier; an officer's download is
    recorded in the audit log. Errors: 401 `not_authenticated`; 404 `dossier_not_found` to
    anyone else, as for an unknown code; 404 `file_not_found` for a number the dossier does
    not have.
    """
    read = dossier_get_for_reader(code=code, user=request.user, purpose="file")
    missing = _("Hồ sơ %(code)s không có tệp số %(number)s.")
    return _nth_download(list(read.dossier.files.all()), code, number, missing)


@dossiers_router.get(
    "/{code}/results/{number}",
    response={400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Tải một tệp kết quả giải quyết",
    url_name="dossier_result",
    operation_id="sen_dossiers_api_result",
    openapi_extra=_download_doc("The result file"),
)
def dossier_result(request: HttpRequest, code: str, number: int) -> HttpResponseBase:
    """Download the ``number``-th result (from 1, as `results` lists them) of the dossier.

    For an officer allowed to read the dossier from the result's attachment on (the download
    is recorded in the audit log), and for the applicant once the result is returned.
    Errors: 401 `not_authenticated`; 404 `dossier_not_found` to anyone else, as for an
    unknown code; 404 `file_not_found` for a number the reader has no result of.
    """
    read = dossier_get_for_reader(code=code, user=request.user, purpose="result")
    missing = _("Hồ sơ %(code)s không có kết quả số %(number)s.")
    return _nth_download(shown_results(read.dossier, read.reader), code, number, missing)
