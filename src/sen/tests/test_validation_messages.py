"""Bad input gets a clear error: each problem pydantic finds is said in Vietnamese, with
pydantic's type for it, under the field clients have always read (``sen.validation_messages``).

The requests are refused before any handler runs, so no dossier, form or report needs to
exist: a signed-in officer is enough to reach the validation of every operation.
"""

import json
import re
import typing
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from pydantic_core import core_schema

from sen.dossiers.tests.factories import officer, service_centre
from sen.tests.pydantic_english import context_keys, is_pydantic_english
from sen.validation_messages import MESSAGES, message_for

pytestmark = pytest.mark.django_db

DOSSIER = "/api/v1/dossiers/000.00.01.H37-261120-0001"
REPORT = "/api/v1/periodic/forms/KTXH-01/periods/2026-03/reports/000.20.01.H91"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
STATUSES = (
    "«submitted», «received», «processing», «supplement_requested», «refused», «withdrawn», "
    "«stopped», «result_ready», «returned»"
)


@pytest.fixture
def browser() -> Client:
    client = Client()
    client.force_login(officer(service_centre(), username="motcua"))
    return client


def send(browser: Client, method: str, url: str, data: Any = None) -> Any:
    """Send ``data`` as a JSON body (POST, PATCH, PUT) or as the query (GET)."""
    if method == "get":
        return browser.get(url, data or {})
    body = data if isinstance(data, str) else json.dumps(data)
    return getattr(browser, method)(url, body, content_type="application/json")


def problem(field: str, message: str, kind: str) -> dict[str, str]:
    return {"field": field, "message": message, "type": kind}


INTEGER = "Phải là số nguyên."
TEXT = "Phải là một chuỗi ký tự."
REQUIRED = "Bắt buộc nhập."
BOOLEAN = "Phải là true hoặc false."
MOMENT = "Phải là thời điểm theo ISO 8601, ví dụ 2026-11-30T16:00:00+07:00."
DATE = "Phải là ngày dạng YYYY-MM-DD, ví dụ 2026-11-20."

CASES = [
    # --- Actions on a dossier: JSON bodies --------------------------------------------------
    pytest.param(
        "post",
        f"{DOSSIER}/receive",
        {},
        [problem("body.expected_revision", REQUIRED, "missing")],
        id="receive-without-revision",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/receive",
        {"expected_revision": "3"},
        [problem("body.expected_revision", INTEGER, "int_type")],
        id="receive-revision-as-text",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/receive",
        {"expected_revision": 2.5},
        [problem("body.expected_revision", INTEGER, "int_from_float")],
        id="receive-revision-with-fraction",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/receive",
        {"expected_revision": 0},
        [problem("body.expected_revision", "Phải lớn hơn hoặc bằng 1.", "greater_than_equal")],
        id="receive-revision-0",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/receive",
        "[]",
        [problem("body", "Phải là một đối tượng JSON.", "model_attributes_type")],
        id="receive-body-a-list",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/receive",
        # A misspelt field ("coment") is refused, not dropped with the action done without it
        {"expected_revision": 1, "coment": "Đủ giấy tờ"},
        [problem("body.coment", "Không nhận trường này.", "extra_forbidden")],
        id="receive-unknown-field",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/refuse",
        {"expected_revision": 1, "reason": "x" * 2001},
        [problem("body.reason", "Dài quá 2.000 ký tự.", "string_too_long")],
        id="refuse-reason-too-long",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/refuse",
        {"expected_revision": 1, "reason": None},
        [problem("body.reason", TEXT, "string_type")],
        id="refuse-reason-null",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/request-supplement",
        {"expected_revision": 1, "items": "Giấy chứng sinh"},
        [problem("body.items", "Phải là một danh sách.", "list_type")],
        id="supplement-items-as-text",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/request-supplement",
        {"expected_revision": 1, "items": [{"name": 5}]},
        [
            problem("body.items.0.name", TEXT, "string_type"),
            problem("body.items.0.reason", REQUIRED, "missing"),
        ],
        id="supplement-item-half-written",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/apologize",
        {"expected_revision": 2, "reason": "Chậm", "new_due_at": "30/11/2026 16:00"},
        [problem("body.new_due_at", MOMENT, "datetime_from_date_parsing")],
        id="apology-moment-written-the-vietnamese-way",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/apologize",
        {"expected_revision": 2, "reason": "Chậm", "new_due_at": 1796029200},
        [problem("body.new_due_at", MOMENT, "datetime_type")],
        id="apology-moment-as-seconds",
    ),
    pytest.param(
        "post",
        f"{DOSSIER}/return",
        {"expected_revision": 6, "method": "post", "postal_tracking_number": "E" * 51},
        [problem("body.postal_tracking_number", "Dài quá 50 ký tự.", "string_too_long")],
        id="return-tracking-number-too-long",
    ),
    # --- Periodic reports ----------------------------------------------------------------------
    pytest.param(
        "post",
        "/api/v1/periodic/forms",
        {"code": "KTXH-01", "name": "Báo cáo", "province": "37", "period_kind": "week"},
        [
            problem("body.period_kind", "Phải là một trong: «month», «quarter», «year».", "enum"),
            problem("body.due_days", REQUIRED, "missing"),
            problem("body.indicators", REQUIRED, "missing"),
            problem("body.reporters", REQUIRED, "missing"),
        ],
        id="form-weekly-and-half-written",
    ),
    pytest.param(
        "patch",
        "/api/v1/periodic/forms/KTXH-01",
        {"due_days": "10", "is_active": "false"},
        [
            problem("body.due_days", INTEGER, "int_type"),
            problem("body.is_active", BOOLEAN, "bool_type"),
        ],
        id="form-change-of-the-wrong-json-types",
    ),
    pytest.param(
        "put",
        REPORT,
        {"values": [1, 2], "submit": 1},
        [
            problem("body.values", "Phải là một đối tượng JSON.", "dict_type"),
            problem("body.submit", BOOLEAN, "bool_type"),
        ],
        id="report-values-as-a-list",
    ),
    pytest.param(
        "get",
        "/api/v1/periodic/assignments",
        {"page_size": 101},
        [problem("page_size", "Phải nhỏ hơn hoặc bằng 100.", "less_than_equal")],
        id="assignments-page-too-big",
    ),
    # --- Working days: the deadline query --------------------------------------------------------
    pytest.param(
        "get",
        "/api/v1/workdays/deadline",
        {"agency": "000.00.01.H37"},
        [problem("start", REQUIRED, "missing"), problem("days", REQUIRED, "missing")],
        id="deadline-without-start-or-days",
    ),
    # --- Catalog ---------------------------------------------------------------------------------
    pytest.param(
        "get",
        "/api/v1/procedures",
        {"level": "district", "page": "hai"},
        [
            problem("page", INTEGER, "int_parsing"),
            problem("level", "Phải là một trong: «province», «commune».", "enum"),
        ],
        id="procedures-district-page-two-in-words",
    ),
    pytest.param(
        "get",
        "/api/v1/procedures",
        {"page": 1_000_001},
        [problem("page", "Phải nhỏ hơn hoặc bằng 1.000.000.", "less_than_equal")],
        id="procedures-page-past-the-last",
    ),
    pytest.param(
        "get",
        "/api/v1/procedures",
        {"q": "x" * 201},
        [problem("q", "Dài quá 200 ký tự.", "string_too_long")],
        id="procedures-query-too-long",
    ),
    pytest.param(
        "get",
        "/api/v1/procedures/export.json",
        {"code": [f"1.{n:06}" for n in range(501)]},
        [problem("code", "Chỉ được có tối đa 500 mục.", "too_long")],
        id="export-too-many-codes",
    ),
    # --- The one-stop queue and register ---------------------------------------------------------
    pytest.param(
        "get",
        "/api/v1/dossiers/queue",
        {"status": "done", "due_within_days": 61, "overdue": "maybe"},
        [
            problem("status", f"Phải là một trong: {STATUSES}.", "enum"),
            problem("due_within_days", "Phải nhỏ hơn hoặc bằng 60.", "less_than_equal"),
            problem("overdue", BOOLEAN, "bool_parsing"),
        ],
        id="queue-filters",
    ),
    pytest.param(
        "get",
        "/api/v1/dossiers/queue",
        {"due_within_days": -1, "procedure": "k" * 201},
        [
            problem("procedure", "Dài quá 200 ký tự.", "string_too_long"),
            problem("due_within_days", "Phải lớn hơn hoặc bằng 0.", "greater_than_equal"),
        ],
        id="queue-negative-days-long-procedure",
    ),
    pytest.param(
        "get",
        "/api/v1/dossiers/register",
        {"agency": "000.00.01.H37", "from": "20/11/2026", "to": "2026-11-30T10:00"},
        [
            problem("from", DATE, "date_from_datetime_parsing"),
            problem("to", DATE, "date_from_datetime_inexact"),
        ],
        id="register-dates-not-iso",
    ),
    # --- Administrative units ----------------------------------------------------------------
    pytest.param(
        "get",
        "/api/v1/units/hamlet/01",
        {"legacy": "maybe"},
        [
            problem("level", "Phải là một trong: «province», «district», «commune».", "enum"),
            problem("legacy", BOOLEAN, "bool_parsing"),
        ],
        id="unit-of-an-unknown-level",
    ),
]


@pytest.mark.parametrize(("method", "url", "data", "details"), CASES)
def test_each_problem_is_said_in_vietnamese_under_its_field(browser, method, url, data, details):
    response = send(browser, method, url, data)

    assert response.status_code == 400, response.content
    assert response.json() == {
        "error": {
            "code": "invalid_input",
            "message": "Dữ liệu gửi lên không hợp lệ.",
            "details": details,
        }
    }


def test_a_multipart_action_names_its_form_fields_in_vietnamese(browser):
    """The result's form fields are text: "hai" is not read as a number, and the file is
    missing."""
    response = browser.post(f"{DOSSIER}/result", {"expected_revision": "hai"})

    assert response.status_code == 400, response.content
    assert response.json()["error"]["details"] == [
        problem("expected_revision", INTEGER, "int_parsing"),
        problem("file", REQUIRED, "missing"),
    ]


@pytest.mark.parametrize(
    ("language", "page", "reason"),
    [
        ("vi", "Phải nhỏ hơn hoặc bằng 1.000.000.", "Dài quá 2.000 ký tự."),
        ("en", "Must be less than or equal to 1,000,000.", "Longer than 2,000 characters."),
    ],
    ids=["vi", "en"],
)
def test_a_bound_is_written_the_readers_way(browser, language, page, reason):
    """A reader of either language reads the bound as they write numbers: "1.000.000" in
    Vietnamese, "1,000,000" in English."""
    too_far = browser.get("/api/v1/procedures", {"page": 1_000_001}, HTTP_ACCEPT_LANGUAGE=language)
    too_long = browser.post(
        f"{DOSSIER}/refuse",
        {"expected_revision": 1, "reason": "x" * 2001},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert too_far.status_code == too_long.status_code == 400
    assert too_far.json()["error"]["details"] == [problem("page", page, "less_than_equal")]
    assert too_long.json()["error"]["details"] == [
        problem("body.reason", reason, "string_too_long")
    ]


# --- No English left ---------------------------------------------------------------------------

# Wrong values of every kind the API's schemas can meet, for the operations that take them;
# the fuzz test (test_api_fuzz) checks the same of every request it generates.
WRONG = (
    [
        ("post", f"{DOSSIER}/receive", {"expected_revision": value})
        for value in ["1", True, None, [], {}, 1.5, -1, "", "１"]
    ]
    + [
        ("post", f"{DOSSIER}/{action}", {"expected_revision": 1, **fields})
        for action in ["refuse", "stop", "withdraw", "complete-step", "receive"]
        for fields in [
            {"reason": value, "comment": value}
            for value in [None, 5, [], {}, True, "x" * 2001, "x" * 100_000]
        ]
    ]
    + [
        ("post", f"{DOSSIER}/request-supplement", {"expected_revision": 1, "items": value})
        for value in [None, "x", {}, [None], [[]], [{}], [{"name": [], "reason": {}}], 7]
    ]
    + [
        ("post", f"{DOSSIER}/apologize", {"expected_revision": 1, "reason": "x", "new_due_at": v})
        for v in ["", "2026-13-40T25:61:00", "2026-11-30T", "tomorrow", 0, 1.5, True, [], {}, None]
    ]
    + [
        (
            "post",
            f"{DOSSIER}/return",
            {"expected_revision": 1, "method": v, "postal_tracking_number": v},
        )
        for v in [None, 1, [], {}, "x" * 51]
    ]
    + [
        ("post", "/api/v1/periodic/forms", body)
        for body in [
            {},
            {"indicators": "x", "reporters": "x", "due_days": "x", "period_kind": 1},
            {"indicators": [{}], "reporters": [1], "due_days": 1.5, "period_kind": None},
            {"indicators": [{"value_type": "x", "aggregation": 1, "allow_negative": "x"}]},
        ]
    ]
    + [
        ("patch", "/api/v1/periodic/forms/KTXH-01", body)
        for body in [
            {"name": 1, "due_days": [], "is_active": "x", "reporters": "x"},
            {"period_kind": 9},
        ]
    ]
    + [
        ("put", REPORT, body)
        for body in [{}, {"values": "x", "submit": "x", "revision": "x"}, {"values": None}]
    ]
    + [
        ("get", url, query)
        for url, query in [
            ("/api/v1/workdays/deadline", {}),
            (
                "/api/v1/procedures",
                {"page": "1e3", "page_size": "-5", "level": "x", "online_level": "x"},
            ),
            ("/api/v1/procedures", {"page": "99999999999999999999999", "q": "x" * 300}),
            ("/api/v1/procedures/export.json", {"code": ["x"] * 600}),
            ("/api/v1/units", {"level": "x", "legacy": "x", "page": "0", "q": "x" * 101}),
            ("/api/v1/dossiers/queue", {"status": "x", "due_within_days": "x", "overdue": "x"}),
            ("/api/v1/dossiers/queue", {"due_within_days": "1.5", "page": "", "page_size": "1e2"}),
            ("/api/v1/dossiers/register", {"from": "x", "to": "2026-02-30"}),
            ("/api/v1/dossiers/register", {"agency": "x" * 41, "from": "", "to": "20261130"}),
            ("/api/v1/dossiers/mine", {"page": "x", "page_size": "0"}),
            ("/api/v1/periodic/assignments", {"page": "-1", "page_size": "x"}),
        ]
    ]
)


def test_no_problem_is_said_in_pydantics_english(browser):
    said = []
    for method, url, data in WRONG:
        response = send(browser, method, url, data)
        assert response.status_code == 400, (method, url, data, response.content)
        said.extend(detail["message"] for detail in response.json()["error"].get("details", []))

    assert len(said) > len(WRONG)
    assert [message for message in said if is_pydantic_english(message)] == []


def test_the_english_check_would_see_pydantics_messages():
    """The check above can fail: pydantic's own messages are what it looks for."""
    assert is_pydantic_english("Input should be a valid integer")
    assert is_pydantic_english("Field required")
    assert is_pydantic_english("String should have at most 200 characters")
    assert is_pydantic_english("List should have at most 500 items after validation, not 501")
    assert not is_pydantic_english(INTEGER)


# --- The wording of types no schema has yet -------------------------------------------------


@pytest.mark.parametrize(
    ("error", "message"),
    [
        # A type without a wording: the generic message, never pydantic's English msg.
        (
            {"type": "union_tag_invalid", "msg": "Input tag 'x' found using …"},
            "Giá trị không hợp lệ.",
        ),
        ({"type": "sen_made_up", "msg": "Something English"}, "Giá trị không hợp lệ."),
        # A bound pydantic did not give: the generic message rather than a failed answer.
        ({"type": "string_too_long", "ctx": {}}, "Giá trị không hợp lệ."),
        # Sen's own validators raise their message, Vietnamese already.
        (
            {"type": "value_error", "ctx": {"error": "Mã tỉnh gồm 2 chữ số."}},
            "Mã tỉnh gồm 2 chữ số.",
        ),
        (
            {"type": "literal_error", "ctx": {"expected": "'a' or 'b'"}},
            "Phải là một trong: «a», «b».",
        ),
        ({"type": "enum", "ctx": {"expected": "1, 2 or 3"}}, "Phải là một trong: «1», «2», «3»."),
        ({"type": "string_too_short", "ctx": {"min_length": 2}}, "Cần ít nhất 2 ký tự."),
        (
            {"type": "too_short", "ctx": {"min_length": 1, "field_type": "List"}},
            "Cần ít nhất 1 mục.",
        ),
        (
            {"type": "decimal_max_places", "ctx": {"decimal_places": 3}},
            "Có tối đa 3 chữ số thập phân.",
        ),
        ({"type": "extra_forbidden"}, "Không nhận trường này."),
        (
            {"type": "json_invalid", "ctx": {"error": "EOF while parsing"}},
            "Không phải JSON hợp lệ.",
        ),
        (
            {"type": "url_parsing", "ctx": {"error": "empty host"}},
            "Phải là một địa chỉ URL hợp lệ.",
        ),
        (
            {"type": "string_pattern_mismatch", "ctx": {"pattern": "^[0-9]+$"}},
            "Giá trị không đúng định dạng yêu cầu.",
        ),
        # Choices are what a client sends, so a number among them is not grouped.
        (
            {"type": "literal_error", "ctx": {"expected": "1000 or 20000"}},
            "Phải là một trong: «1000», «20000».",
        ),
        # No schema has a decimal bound yet; one would be written the Vietnamese way too.
        ({"type": "less_than", "ctx": {"lt": Decimal("1234.5")}}, "Phải nhỏ hơn 1.234,5."),
        ({"type": "multiple_of", "ctx": {"multiple_of": 0.5}}, "Phải là bội số của 0,5."),
    ],
)
def test_a_type_is_worded_from_its_context(error, message):
    assert message_for(error) == message


def test_each_wording_names_only_values_pydantic_gives_for_its_type():
    """A placeholder pydantic does not fill ("%(max)s" where it gives max_length) would turn
    the wording into the generic message."""
    wrong = {
        kind: sorted(set(PLACEHOLDER.findall(str(template))) - context_keys(kind))
        for kind, template in MESSAGES.items()
    }
    assert {kind: names for kind, names in wrong.items() if names} == {}


def test_each_wording_is_for_a_type_pydantic_has():
    assert set(MESSAGES) - set(typing.get_args(core_schema.ErrorType)) == set()


def test_an_english_catalog_can_translate_the_messages():
    """The wordings go through gettext: with English active, one the catalog has already
    (for the catalog importer) reads in English."""
    with translation.override("en"):
        assert message_for({"type": "list_type"}) == "Must be a list."


def test_an_english_reader_gets_a_decimal_bound_the_english_way():
    with translation.override("en"):
        message = message_for({"type": "less_than", "ctx": {"lt": Decimal("1234.5")}})

    assert message == "Must be less than 1,234.5."
