"""Shapes of the dossiers API: what each endpoint reads and answers.

Field descriptions are Vietnamese: they are the API document a provincial integrator reads.
"""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from sen.core.paging import MAX_PAGE
from sen.dossiers.services import (
    MAX_POSTPONEMENT,
    MAX_RESULT_REFERENCE,
    MAX_RESULT_TEXT,
    MAX_RESULT_TITLE,
    MAX_SIGNER_TITLE,
    MAX_SUPPLEMENT_ITEMS,
)
from sen.dossiers.states import Action, Channel, DossierStatus, ReturnMethod
from sen.schemas import (
    NOT_BLANK,
    BodyIn,
    FormInt,
    JsonInt,
    JsonMoment,
    PageParams,
    blank_accepted,
)

REVISION_HELP = (
    "Phiên bản hồ sơ (`revision`) người dùng đang xem; hồ sơ đã đổi từ đó thì trả 409 "
    "`dossier_conflict` và không thay đổi gì."
)

# --- Submission and tracking -------------------------------------------------------------------


class ProcedureRef(Schema):
    code: str = Field(description="Mã thủ tục trên Cơ sở dữ liệu quốc gia về TTHC.")
    name: str = Field(description="Tên thủ tục.")
    version: int = Field(description="Phiên bản thủ tục áp dụng cho hồ sơ.")


class AgencyRef(Schema):
    code: str = Field(description="Mã định danh cơ quan tiếp nhận.")
    name: str = Field(description="Tên cơ quan tiếp nhận.")


class DossierSubmitted(Schema):
    code: str = Field(description="Mã hồ sơ, ví dụ `000.00.01.H37-261120-0001`.")
    status: DossierStatus = Field(
        description=(
            "Trạng thái hiện giờ của hồ sơ: `submitted` (chờ tiếp nhận) khi vừa nộp (201); "
            "khi gửi lại cùng `Idempotency-Key` (200), trạng thái hồ sơ đã đi đến (đã tiếp "
            "nhận, đang xử lý…)."
        )
    )
    national_status: int = Field(description="Mã trạng thái đồng bộ Cổng DVC quốc gia.")
    national_channel: int = Field(description="Mã kênh thực hiện: 2 (trực tuyến).")
    procedure: ProcedureRef
    agency: AgencyRef
    submitted_at: datetime = Field(description="Thời điểm nộp, giờ Việt Nam.")
    tracking_url: str = Field(description="Địa chỉ tra cứu tiến độ hồ sơ, ai có mã đều xem được.")


class TrackingEvent(Schema):
    action: Action = Field(description="Việc đã làm với hồ sơ.")
    label: str = Field(description="Tên việc, tiếng Việt.")
    at: datetime = Field(description="Thời điểm, giờ Việt Nam.")
    status: DossierStatus = Field(description="Trạng thái sau việc này.")


# How a dossier stands against its legal due moment (``citizen.dossier_timeliness``).
DossierTimeliness = Literal["", "early", "on_time", "late", "in_time"]
TIMELINESS_FIELD = Field(
    description=(
        "Hồ sơ so với hẹn trả theo quy định (trước khi xin lỗi, hẹn lại): `early`, `on_time`, "
        "`late` khi đã có kết quả; `late` hoặc `in_time` khi đang giải quyết; rỗng khi chưa "
        "tiếp nhận hoặc kết thúc không có kết quả."
    )
)


class TrackingStep(Schema):
    name: str = Field(description="Tên bước xử lý.")
    agency: str = Field(description="Tên cơ quan thực hiện bước.")
    started_at: datetime = Field(description="Thời điểm bắt đầu bước, giờ Việt Nam.")
    due_at: datetime = Field(description="Hạn hoàn thành bước.")
    finished_at: datetime | None = Field(description="Thời điểm hoàn thành; null khi chưa.")
    timeliness: Literal["early", "on_time", "late", "in_time", "unfinished"] = Field(
        description=(
            "Tiến độ: `early`, `on_time`, `late` (bước đã xong: trước, đúng, quá hạn; bước "
            "đang xử lý đã qua hạn cũng là `late`), `in_time` (đang xử lý, chưa đến hạn), "
            "`unfinished` (không hoàn thành vì hồ sơ đã kết thúc trước hạn của bước)."
        )
    )


class Tracking(Schema):
    code: str = Field(description="Mã hồ sơ.")
    procedure: ProcedureRef
    agency: AgencyRef
    status: DossierStatus = Field(description="Trạng thái hiện tại.")
    status_label: str = Field(description="Tên trạng thái, tiếng Việt.")
    national_status: int = Field(description="Mã trạng thái đồng bộ Cổng DVC quốc gia (1–10).")
    submitted_at: datetime = Field(description="Thời điểm nộp.")
    received_at: datetime | None = Field(description="Thời điểm tiếp nhận; null khi chưa.")
    due_at: datetime | None = Field(description="Hẹn trả kết quả; null khi chưa tiếp nhận.")
    finished_at: datetime | None = Field(description="Thời điểm kết thúc; null khi chưa.")
    timeliness: DossierTimeliness = TIMELINESS_FIELD
    steps: list[TrackingStep] = Field(description="Các bước xử lý theo thứ tự, với tiến độ.")
    events: list[TrackingEvent] = Field(description="Quá trình xử lý, cũ trước mới sau.")


# --- Reading dossiers --------------------------------------------------------------------------


class DossierSummary(Schema):
    code: str = Field(description="Mã hồ sơ.")
    status: DossierStatus = Field(description="Trạng thái hiện tại.")
    status_label: str = Field(description="Tên trạng thái, tiếng Việt.")
    national_status: int = Field(description="Mã trạng thái đồng bộ Cổng DVC quốc gia (1–10).")
    channel: Channel = Field(description="Hình thức nộp: desk, online, post.")
    national_channel: int = Field(
        description="Mã kênh thực hiện đồng bộ Cổng DVC quốc gia: 1 trực tiếp, 2 trực tuyến, "
        "3 bưu chính."
    )
    procedure: ProcedureRef
    agency: AgencyRef
    submitted_at: datetime = Field(description="Thời điểm nộp, giờ Việt Nam.")
    received_at: datetime | None = Field(description="Thời điểm tiếp nhận; null khi chưa.")
    due_at: datetime | None = Field(description="Hẹn trả kết quả; null khi chưa tiếp nhận.")
    finished_at: datetime | None = Field(description="Thời điểm kết thúc; null khi chưa.")
    overdue: bool = Field(description="Quá hạn: chưa kết thúc mà đã qua thời điểm hẹn trả.")


class QueueItem(DossierSummary):
    applicant_name: str = Field(
        description="Họ và tên người nộp (không kèm số định danh, địa chỉ: xem chi tiết hồ sơ)."
    )


class DossierPage(Schema):
    count: int = Field(description="Tổng số hồ sơ.")
    page: int = Field(description="Trang, từ 1.")
    page_size: int = Field(description="Số hồ sơ mỗi trang.")
    results: list[DossierSummary] = Field(description="Hồ sơ của trang, mới nộp trước.")


class QueuePage(Schema):
    count: int = Field(
        description=(
            "Số hồ sơ khớp với bộ lọc, đếm chính xác đến 1.000; khi `count_capped` là true "
            "thì có nhiều hơn 1.000 hồ sơ (hiển thị “1.000+”), hãy lọc thêm để thu hẹp."
        )
    )
    count_capped: bool = Field(
        description=(
            "True khi có nhiều hồ sơ hơn `count`: việc đếm, và danh sách, dừng ở 1.000 hồ sơ "
            "đầu tiên; hãy lọc thêm để thấy các hồ sơ khác."
        )
    )
    page: int = Field(description="Trang, từ 1.")
    page_size: int = Field(description="Số hồ sơ mỗi trang.")
    results: list[QueueItem] = Field(
        description="Hồ sơ của trang, hẹn trả sớm trước; hồ sơ chưa có hẹn trả ở cuối."
    )


class QueueFilters(PageParams):
    # The bounds of every list's page (ADR 0013), with where the queue's list stops.
    page: int = Field(
        1,
        ge=1,
        le=MAX_PAGE,
        description=(
            "Trang, từ 1 đến 1.000.000. Danh sách dừng ở 1.000 hồ sơ đầu tiên theo thứ tự "
            "của nó: trang sau đó không có hồ sơ nào (`results` rỗng); `count_capped` là true "
            "khi còn hồ sơ khác, hãy lọc thêm để thấy."
        ),
    )
    procedure: str = Field(
        "",
        max_length=200,
        description=(
            "Thủ tục: mã (ví dụ 1.001193), hoặc các từ trong tên (hay lĩnh vực) của thủ tục, "
            'có dấu hay không dấu, chữ hoa hay thường ("dang ky khai sinh"); từ cuối có thể '
            "gõ dở. Lấy hồ sơ của mọi phiên bản của các thủ tục khớp. Không thủ tục nào khớp: "
            "danh sách rỗng; quá nhiều thủ tục khớp (hơn 1.000 phiên bản): 400 "
            "`procedure_filter_too_broad`; bỏ trống: không lọc."
        ),
    )
    status: DossierStatus | None = Field(
        None,
        description=(
            "Trạng thái hồ sơ; bỏ trống: các hồ sơ chưa kết thúc (việc còn phải làm). Hồ sơ "
            "đã kết thúc (đã trả, từ chối, rút, dừng) chỉ hiện khi chọn trạng thái của chúng."
        ),
        json_schema_extra=blank_accepted,
    )
    due_within_days: int | None = Field(
        None,
        ge=0,
        le=60,
        description=(
            "Sắp đến hạn: hồ sơ chưa kết thúc, hẹn trả từ bây giờ đến hết số ngày làm việc này "
            "(theo lịch làm việc của cơ quan); bỏ trống: không lọc."
        ),
        json_schema_extra=blank_accepted,
    )
    overdue: bool = Field(False, description="Chỉ hồ sơ chưa kết thúc đã quá hạn hẹn trả.")
    my_turn: bool = Field(
        False,
        description=(
            "Chỉ hồ sơ đến lượt cán bộ xử lý: chờ tiếp nhận hoặc chờ trả kết quả tại Bộ phận "
            "Một cửa của cơ quan mà cán bộ là công chức một cửa, hoặc đang ở bước do vai trò "
            "của cán bộ tại cơ quan đó thực hiện. Không gồm hồ sơ đang chờ người nộp bổ sung. "
            "Hồ sơ có kết quả chờ trả đã giải quyết xong, nên chỉ hiện khi chọn trạng thái "
            "`result_ready`."
        ),
    )

    @field_validator("status", "due_within_days", mode="before")
    @classmethod
    def _blank_is_no_filter(cls, value: Any) -> Any:
        # A form sends "status=" for "no status chosen".
        return None if value == "" else value


class RegisterFilters(Schema):
    agency: str = Field(..., max_length=40, description="Mã định danh của cơ quan giữ sổ.")
    start: date = Field(
        ..., alias="from", description="Từ ngày (YYYY-MM-DD), theo ngày tiếp nhận hồ sơ."
    )
    end: date = Field(
        ...,
        alias="to",
        description="Đến ngày (YYYY-MM-DD), tính cả ngày này; tối đa 366 ngày một lần.",
    )


class ReceivingAgenciesFilter(Schema):
    procedure: str = Field(..., max_length=40, description="Mã thủ tục, ví dụ `1.001193`.")


class ApplicantOut(Schema):
    name: str = Field(description="Họ và tên người nộp.")
    id_number: str = Field(description="Số định danh cá nhân (CCCD), 12 chữ số.")
    phone: str = Field(description="Số điện thoại; chuỗi rỗng khi không có.")
    email: str = Field(description="Thư điện tử; chuỗi rỗng khi không có.")
    address: str = Field(description="Địa chỉ; chuỗi rỗng khi không có.")


class DossierEventOut(Schema):
    sequence: int = Field(description="Thứ tự sự kiện trong hồ sơ: 1, 2, …")
    action: Action = Field(description="Việc đã làm với hồ sơ.")
    label: str = Field(description="Tên việc, tiếng Việt.")
    at: datetime = Field(description="Thời điểm, giờ Việt Nam.")
    from_status: DossierStatus | None = Field(description="Trạng thái trước; null khi nộp.")
    status: DossierStatus = Field(description="Trạng thái sau việc này.")
    actor: str | None = Field(
        description="Người thực hiện; chỉ cán bộ thấy, null khi người xem là người nộp."
    )
    comment: str = Field(description="Ý kiến kèm theo.")
    data: dict[str, Any] = Field(
        description=(
            "Chi tiết: danh sách giấy tờ cần bổ sung, lý do từ chối, … Người nộp không thấy "
            "chi tiết của việc đính kèm và gỡ kết quả (tên tệp, mã băm, lý do gỡ)."
        )
    )


class DossierFileOut(Schema):
    number: int = Field(
        description=(
            "Số thứ tự của tệp trong hồ sơ, từ 1: tải tệp ở `GET /dossiers/{code}/files/{number}`."
        )
    )
    component_position: int | None = Field(
        description="Thứ tự thành phần hồ sơ; null với tệp ngoài thành phần."
    )
    component_name: str | None = Field(description="Tên thành phần hồ sơ.")
    requested_item: str | None = Field(
        description="Giấy tờ mà yêu cầu bổ sung nêu, tệp được nộp bổ sung cho; null nếu không."
    )
    name: str = Field(description="Tên tệp gốc.")
    content_type: str = Field(description="Kiểu nội dung đã nhận diện từ nội dung tệp.")
    size: int = Field(description="Kích thước, byte.")
    sha256: str = Field(description="Mã băm SHA-256 của tệp.")


class DossierResultOut(Schema):
    number: int = Field(
        description=(
            "Số thứ tự của kết quả, từ 1, theo thứ tự đính kèm: tải tệp ở "
            "`GET /dossiers/{code}/results/{number}`."
        )
    )
    name: str = Field(description="Tên tệp gốc.")
    content_type: str = Field(description="Kiểu nội dung đã nhận diện từ nội dung tệp.")
    size: int = Field(description="Kích thước, byte.")
    sha256: str = Field(description="Mã băm SHA-256 của tệp.")
    attached_at: datetime = Field(description="Thời điểm đính kèm, giờ Việt Nam.")


class DossierPaperOut(Schema):
    component_position: int = Field(description="Thứ tự thành phần hồ sơ.")
    component_name: str = Field(description="Tên thành phần hồ sơ.")
    originals: int = Field(description="Số bản chính đã nhận.")
    certified_copies: int = Field(description="Số bản sao đã nhận.")
    photocopies: int = Field(description="Số bản chụp đã nhận.")
    original_shown: bool = Field(
        description="Bản chính đã được xuất trình để đối chiếu và trả lại người nộp."
    )


class DossierDetail(DossierSummary):
    viewer: Literal["applicant", "officer"] = Field(
        description="Người xem là người nộp (applicant) hay cán bộ được phép (officer)."
    )
    revision: int = Field(
        description="Phiên bản dữ liệu; gửi lại khi thao tác để tránh ghi đè lên người khác."
    )
    supplement_count: int = Field(description="Số lần đã yêu cầu bổ sung.")
    timeliness: DossierTimeliness = TIMELINESS_FIELD
    result_delivery: ReturnMethod | None = Field(
        description=(
            "Cách người nộp đăng ký nhận kết quả khi nộp: electronic, desk, post; null với hồ "
            "sơ nộp trước khi Sen ghi điều này."
        )
    )
    register_book: str | None = Field(
        description=(
            "Quyển Sổ theo dõi hồ sơ ghi hồ sơ: `<yy>/<mã cơ quan>` theo năm tiếp nhận, ví dụ "
            "`26/000.00.01.H37`; null khi chưa tiếp nhận."
        )
    )
    register_number: int | None = Field(
        description=(
            "Số thứ tự của hồ sơ trong quyển sổ đó, cấp khi tiếp nhận theo thứ tự tiếp nhận "
            "của cơ quan trong năm, không đổi về sau; giấy tiếp nhận và sổ theo dõi hồ sơ in "
            "số này (4 chữ số trở lên, ví dụ 0012). Null khi chưa tiếp nhận."
        )
    )
    legal_basis: str = Field(description="Khung pháp lý về cơ chế một cửa áp dụng cho hồ sơ.")
    applicant: ApplicantOut = Field(
        description="Người nộp. Mỗi lần cán bộ xem đều được ghi nhật ký hệ thống."
    )
    form_data: dict[str, Any] = Field(description="Nội dung biểu mẫu điện tử.")
    allowed_actions: list[Action] = Field(
        description=(
            "Những việc người xem được làm với hồ sơ lúc này, như trang của cán bộ và của "
            "người nộp hiện nút: `complete_step` cả khi hoàn thành bước cuối; `submit_supplement` "
            "hoặc `submit_supplement_in_processing` cho bổ sung. Việc có điều kiện về nội dung "
            "(lý do, tệp) vẫn được kiểm tra khi gửi."
        )
    )
    steps: list[TrackingStep] = Field(
        description="Các bước xử lý theo thứ tự, với tiến độ, như trang tra cứu."
    )
    events: list[DossierEventOut] = Field(description="Quá trình xử lý, cũ trước mới sau.")
    files: list[DossierFileOut] = Field(description="Các tệp đã nộp.")
    results: list[DossierResultOut] = Field(
        description=(
            "Kết quả giải quyết: cán bộ thấy từ khi đính kèm trong lúc giải quyết; người nộp "
            "thấy và tải được khi hồ sơ đã trả kết quả. Rỗng trước đó."
        )
    )
    papers: list[DossierPaperOut] = Field(
        description=(
            "Giấy tờ bản giấy cán bộ một cửa đã nhận khi hồ sơ nộp trực tiếp hoặc qua bưu "
            "chính; rỗng với hồ sơ nộp trực tuyến."
        )
    )


# --- Acting on a dossier ------------------------------------------------------------------------


class ActionIn(BodyIn):
    """The JSON body of an action: its revision is a JSON integer (``sen.schemas``)."""

    expected_revision: JsonInt = Field(..., ge=1, description=REVISION_HELP)


class ActionForm(Schema):
    """An action's fields in a multipart form, beside its files: form fields are text, and
    the revision is read from its decimal digits alone (``FormInt``)."""

    expected_revision: FormInt = Field(
        ...,
        ge=1,
        description=(
            f"{REVISION_HELP} Viết bằng chữ số thập phân, ví dụ `4`; `4.0`, `+4` hay có "
            "khoảng trắng bị từ chối (400 `invalid_input`, `int_parsing`)."
        ),
    )


class CommentIn(ActionIn):
    comment: str = Field("", max_length=2000, description="Ý kiến kèm theo, có thể để trống.")


# Blank text, an empty or too long list and another return method are refused by the services
# with their own codes; the document states them with a pattern, minItems, maxItems and an enum.
NOT_BLANK_TEXT: dict[str, Any] = {"pattern": NOT_BLANK}


class ReasonIn(ActionIn):
    reason: str = Field(
        ..., max_length=2000, description="Lý do, bắt buộc.", json_schema_extra=NOT_BLANK_TEXT
    )


class StopIn(ReasonIn):
    legal_basis: str = Field(
        "",
        max_length=500,
        description=(
            "Căn cứ pháp lý cho phép dừng giải quyết (ví dụ: khoản 3 Điều 16 Luật Hộ tịch), "
            "có thể để trống; thông báo dừng (mẫu 05) dẫn căn cứ này trước khung pháp lý "
            "về cơ chế một cửa."
        ),
    )


class RemoveResultIn(ReasonIn):
    number: JsonInt = Field(
        ..., ge=1, description="Số thứ tự của kết quả cần gỡ, như `results` của hồ sơ liệt kê."
    )


class GenerateResultIn(ActionIn):
    title: str = Field(
        ...,
        max_length=MAX_RESULT_TITLE,
        description=(
            "Tên văn bản kết quả, in làm tiêu đề: thường là một kết quả thực hiện của thủ tục "
            "(`results` của thủ tục trong danh mục), ví dụ “Giấy xác nhận tình trạng hôn nhân”."
        ),
        json_schema_extra=NOT_BLANK_TEXT,
    )
    content: str = Field(
        ...,
        max_length=MAX_RESULT_TEXT,
        description="Nội dung văn bản; mỗi dòng một đoạn.",
        json_schema_extra=NOT_BLANK_TEXT,
    )
    reference: str = Field(
        "",
        max_length=MAX_RESULT_REFERENCE,
        description=(
            "Số, ký hiệu văn bản (ví dụ `15/GXN-UBND`); để trống thì văn bản in “Số: ……/……” "
            "để văn thư ghi khi ban hành."
        ),
    )
    signer_title: str = Field(
        "",
        max_length=MAX_SIGNER_TITLE,
        description=(
            "Thẩm quyền, chức vụ người ký, mỗi dòng một dòng in (ví dụ “TM. ỦY BAN NHÂN DÂN” "
            "rồi “CHỦ TỊCH”); để trống là “THỦ TRƯỞNG CƠ QUAN”."
        ),
    )


class MissingItemIn(BodyIn):
    name: str = Field(
        ...,
        max_length=500,
        description="Giấy tờ cần bổ sung, hoàn thiện.",
        json_schema_extra=NOT_BLANK_TEXT,
    )
    reason: str = Field(
        ..., max_length=1000, description="Lý do cần bổ sung.", json_schema_extra=NOT_BLANK_TEXT
    )


class SupplementRequestIn(ActionIn):
    items: list[MissingItemIn] = Field(
        ...,
        description="Toàn bộ giấy tờ cần bổ sung: chỉ yêu cầu bổ sung một lần.",
        json_schema_extra={"minItems": 1, "maxItems": MAX_SUPPLEMENT_ITEMS},
    )


class ApologyIn(ActionIn):
    reason: str = Field(
        ...,
        max_length=2000,
        description="Lý do chậm trả kết quả.",
        json_schema_extra=NOT_BLANK_TEXT,
    )
    new_due_at: JsonMoment = Field(
        ...,
        description=(
            "Thời điểm hẹn trả mới, ISO 8601 có múi giờ (ví dụ `2026-11-30T16:00:00+07:00`), "
            f"sau thời điểm hẹn trả hiện tại và không quá {MAX_POSTPONEMENT.days} ngày sau đó."
        ),
    )


class ReturnIn(ActionIn):
    method: str = Field(
        ...,
        description=(
            "Hình thức trả kết quả: `electronic` (điện tử), `desk` (tại Bộ phận Một cửa), "
            "`post` (qua bưu chính công ích)."
        ),
        json_schema_extra={"enum": list(ReturnMethod.values)},
    )
    postal_tracking_number: str | None = Field(
        None, max_length=50, description="Số hiệu bưu gửi; bắt buộc khi trả qua bưu chính."
    )
    recipient: str = Field(
        "",
        max_length=300,
        description=(
            "Khi trả tại Bộ phận Một cửa: người nhận kết quả nếu không phải người nộp (họ tên, "
            "giấy tờ tùy thân, giấy ủy quyền). Để trống: người nộp nhận."
        ),
    )


class SupplementIn(ActionForm):
    """The form fields of a supplement, sent with its files (multipart)."""

    payload: str | None = Field(
        None,
        description=(
            'JSON, khi sửa biểu mẫu: `{"form": {...}}` thay toàn bộ biểu mẫu điện tử; khóa '
            "khác bị từ chối."
        ),
        json_schema_extra={"contentMediaType": "application/json"},
    )
