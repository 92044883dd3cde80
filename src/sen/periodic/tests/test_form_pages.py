"""The province's pages for report forms: define one, change what may change, copy one.

Only a provincial administrator of the form's province may; the frozen parts of a form in
use are shown read-only; every refusal changes nothing.
"""

import re
from decimal import Decimal

import pytest
from django.test import Client

from sen.core.models import AuditEntry
from sen.periodic.models import Report, ReportForm
from sen.periodic.services import report_save, reporting_period_open
from sen.periodic.tests.factories import make_large_form, officer_of
from sen.portal.tests.html import text_of

pytestmark = pytest.mark.django_db

NEW = "/bao-cao-dinh-ky/bieu-mau/moi/"
EDIT = "/bao-cao-dinh-ky/bieu-mau/KTXH-01/"
EDIT_02 = "/bao-cao-dinh-ky/bieu-mau/KTXH-02/"
COPY = "/bao-cao-dinh-ky/bieu-mau/KTXH-01/sao-chep/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row(number: int, code: str = "", name: str = "", unit: str = "", **extra: str) -> dict:
    prefix = f"indicators-{number}-"
    data = {
        f"{prefix}code": code,
        f"{prefix}name": name,
        f"{prefix}unit": unit,
        f"{prefix}value_type": extra.get("value_type", "decimal"),
        f"{prefix}aggregation": extra.get("aggregation", "sum"),
    }
    if extra.get("allow_negative"):
        data[f"{prefix}allow_negative"] = "on"
    if "max_value" in extra:
        data[f"{prefix}max_value"] = extra["max_value"]
    return data


def new_form(world, *rows: dict, **changes: object) -> dict:
    data: dict = {
        "code": "KTXH-02",
        "name": "Báo cáo quý về nông nghiệp",
        "province": world.province.code,
        "period_kind": "quarter",
        "due_days": "10",
        "reporters": [world.commune_a.code, world.commune_b.code],
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": "0",
    }
    for item in rows:
        data.update(item)
    data.update(changes)
    return data


def test_the_province_defines_a_form_with_its_indicators_and_reporters(world):
    client = client_for(world.admin)

    page = client.get(NEW).content.decode()
    assert '<label for="id_name">' in page and '<label for="id_indicators-0-code">' in page
    assert 'name="csrfmiddlewaretoken"' in page

    response = client.post(
        NEW,
        new_form(
            world,
            row(0, "NN01", "Diện tích lúa", "ha"),
            row(1),  # left blank: no indicator
            row(2, "NN02", "Tốc độ tăng", "%", aggregation="average", allow_negative="on"),
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == "/bao-cao-dinh-ky/bieu-mau/KTXH-02/"
    form = ReportForm.objects.get(code="KTXH-02")
    assert (form.period_kind, form.due_days, form.province) == ("quarter", 10, world.province)
    assert list(form.indicators.values_list("code", "unit", "aggregation", "allow_negative")) == [
        ("NN01", "ha", "sum", False),
        ("NN02", "%", "average", True),
    ]
    assert sorted(form.reporters.values_list("code", flat=True)) == sorted(
        [world.commune_a.code, world.commune_b.code]
    )
    assert client.get(response["Location"]).content.decode().count("Đã ban hành biểu mẫu") == 1


def test_each_problem_is_named_next_to_its_input_and_nothing_is_created(world, form):
    response = client_for(world.admin).post(
        NEW,
        new_form(
            world,
            row(0, "NN01", "Diện tích lúa", "ha"),
            row(1, "NN01", "Trùng mã", ""),
            code="ktxh 02",
        ),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Mã biểu mẫu gồm chữ in hoa không dấu" in html
    assert "Mã chỉ tiêu NN01 bị trùng." in html
    assert "Cần đơn vị tính" in html
    assert 'value="Trùng mã"' in html  # what was typed stays
    assert ReportForm.objects.count() == 1


def test_the_province_bounds_a_share_and_its_reporters_are_held_to_it(world):
    # Given the province defining a share that cannot pass 100 % and one that can
    admin = client_for(world.admin)
    admin.post(
        NEW,
        new_form(
            world,
            row(0, "XH02", "Tỷ lệ hộ nghèo", "%", aggregation="average", max_value="100"),
            row(1, "KH01", "Tỷ lệ hoàn thành kế hoạch", "%", aggregation="average"),
        ),
    )
    form = ReportForm.objects.get(code="KTXH-02")
    assert list(form.indicators.values_list("code", "max_value")) == [
        ("XH02", Decimal(100)),
        ("KH01", None),
    ]
    assert 'name="indicators-0-max_value" value="100"' in admin.get(EDIT_02).content.decode()

    # When a commune reports 150 for both
    period = reporting_period_open(form=form, key="2026-Q1", actor=world.admin)
    page = f"/bao-cao-dinh-ky/KTXH-02/{period.key}/{world.commune_a.code}/"
    sent = {"value_XH02": "150", "value_KH01": "150", "action": "save", "revision": "0"}
    response = client_for(world.officer_a).post(page, sent)

    # Then the bounded share is refused next to its input, naming the bound, and nothing is
    # saved; within the bound, and past 100 % where there is none, it is saved
    assert response.status_code == 400
    assert "Tỷ lệ hộ nghèo: không được lớn hơn 100 %." in response.content.decode()
    assert not Report.objects.exists()
    sent["value_XH02"] = "100"
    assert client_for(world.officer_a).post(page, sent).status_code == 302
    # and once used, the form shows the bound among its frozen indicators
    frozen = text_of(admin.get(EDIT_02).content.decode())
    assert "Tỷ lệ hộ nghèo % Số thập phân Bình quân 100" in frozen


@pytest.mark.parametrize(
    ("value_type", "typed", "message"),
    [
        ("decimal", "nhiều", "Giá trị tối đa: hãy nhập một số."),
        ("integer", "2,5", "Giá trị tối đa: hãy nhập một số nguyên."),
        ("decimal", "-5", "Giá trị tối đa: không được là số âm."),
    ],
)
def test_a_wrong_bound_is_named_next_to_its_input_and_nothing_is_created(
    world, value_type, typed, message
):
    response = client_for(world.admin).post(
        NEW, new_form(world, row(0, "XH01", "Số hộ", "hộ", value_type=value_type, max_value=typed))
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(rf'<p class="error" id="id_indicators-0-max_value_error">{message}', html)
    assert not ReportForm.objects.exists()


def test_a_code_already_taken_is_refused(world, form):
    response = client_for(world.admin).post(
        NEW, new_form(world, row(0, "NN01", "Diện tích lúa", "ha"), code="KTXH-01")
    )

    assert response.status_code == 409
    assert "Đã có biểu mẫu mã KTXH-01." in response.content.decode()
    assert ReportForm.objects.count() == 1


# The edit page of a form: session and user (2); the provinces administered, read once to
# find the form, to check its manager and for the agencies to choose from (1); the form,
# whether it has a report, the agencies to choose from, its reporters, its indicators (5);
# the menu's roles (1).
EDIT_QUERIES = 9


def test_before_its_first_report_everything_may_change(world, form, django_assert_num_queries):
    client = client_for(world.admin)
    with django_assert_num_queries(EDIT_QUERIES):
        page = client.get(EDIT).content.decode()
    assert 'value="NN01"' in page and 'name="period_kind"' in page

    response = client.post(
        EDIT,
        {
            "name": "Báo cáo tháng (sửa)",
            "period_kind": "quarter",
            "due_days": "3",
            "is_active": "on",
            "reporters": [world.commune_a.code],
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            **row(0, "NN09", "Sản lượng", "tấn"),
        },
    )

    assert response.status_code == 302
    form.refresh_from_db()
    assert (form.name, form.period_kind, form.due_days) == ("Báo cáo tháng (sửa)", "quarter", 3)
    assert list(form.indicators.values_list("code", flat=True)) == ["NN09"]
    assert list(form.reporters.values_list("code", flat=True)) == [world.commune_a.code]


def test_the_edit_page_of_a_large_form_costs_the_queries_of_a_small_one(
    world, django_assert_num_queries
):
    """Given a form of 14 indicators and 11 reporters, when its manager opens its page, then
    every indicator and reporter is there, for the queries of a form of 4 and 3."""
    make_large_form(world)
    client = client_for(world.admin)

    with django_assert_num_queries(EDIT_QUERIES):
        page = client.get(EDIT).content.decode()

    codes = ["NN01", "NN02", "XH01", "XH02", *(f"TN{number:02d}" for number in range(10))]
    assert [code for code in codes if f'value="{code}"' not in page] == []
    assert "UBND xã Thử Nghiệm 17" in page


def test_once_used_only_the_editable_parts_change_and_the_rest_is_shown(world, form, march):
    # Given a report on the form
    report_save(period=march, agency=world.commune_a, values={"NN01": "1"}, actor=world.officer_a)
    client = client_for(world.admin)

    # The page shows the indicators read-only and offers a copy
    page = client.get(EDIT).content.decode()
    assert 'name="indicators-0-code"' not in page and 'name="period_kind"' not in page
    assert "<td>NN01</td>" in page
    assert f'href="{COPY}"' in page

    # When the admin changes the name and retires it (indicators sent anyway are ignored)
    response = client.post(
        EDIT,
        {
            "name": "Biểu cũ",
            "due_days": "5",
            "reporters": [world.commune_a.code],
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            **row(0, "XX01", "Khác", "ha"),
        },
    )

    assert response.status_code == 302
    form.refresh_from_db()
    assert (form.name, form.is_active) == ("Biểu cũ", False)
    assert list(form.indicators.values_list("code", flat=True)) == ["NN01", "NN02", "XH01", "XH02"]


def test_copy_as_a_new_form_starts_from_the_indicators(world, form, march):
    report_save(period=march, agency=world.commune_a, values={"NN01": "1"}, actor=world.officer_a)
    client = client_for(world.admin)

    page = client.get(COPY).content.decode()

    assert "Sao chép từ biểu mẫu KTXH-01" in page
    assert 'name="indicators-0-code"' in page and 'value="NN01"' in page
    assert 'name="code"' in page and 'value="KTXH-01"' not in page
    assert re.search(rf'value="{re.escape(world.commune_a.code)}"[^>]*checked', page)

    response = client.post(
        COPY,
        new_form(world, row(0, "NN01", "Diện tích lúa", "ha"), code="KTXH-03", period_kind="month"),
    )
    assert response.status_code == 302
    assert ReportForm.objects.filter(code="KTXH-03").exists()


@pytest.mark.parametrize("who", ["officer_a", "other_admin"])
def test_others_may_neither_define_nor_change_forms_and_nothing_changes(world, form, who):
    user = getattr(world, who)
    client = client_for(user)
    audits = AuditEntry.objects.count()

    edit = client.post(EDIT, {"name": "X", "due_days": "1", "is_active": "on"})
    copy = client.get(COPY)

    form.refresh_from_db()
    assert form.name == "Báo cáo tình hình kinh tế - xã hội"
    assert AuditEntry.objects.count() == audits
    # A reporter sees the form but may not change it; another province does not see it.
    assert edit.status_code == (403 if who == "officer_a" else 404)
    assert copy.status_code == edit.status_code


def test_an_officer_who_manages_no_province_gets_403_on_the_new_form_page(world):
    response = client_for(officer_of(world.department)).post(
        NEW, new_form(world, row(0, "NN01", "Diện tích lúa", "ha"))
    )

    assert response.status_code == 403
    assert ReportForm.objects.count() == 0


def test_the_periodic_pages_speak_english_on_request(world, form, march):
    client = client_for(world.admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/bao-cao-dinh-ky/"})

    index = client.get("/bao-cao-dinh-ky/").content.decode()
    edit = client.get(EDIT).content.decode()
    period = client.get("/bao-cao-dinh-ky/KTXH-01/2026-03/").content.decode()

    assert '<html lang="en">' in index
    assert "<h1>Periodic socio-economic reporting</h1>" in index
    assert "Forms issued by the province" in index and "Copy as a new form" in index
    assert "<h1>Report form KTXH-01</h1>" in edit
    assert "Indicator code" in edit and "Save the form" in edit
    assert "Who has reported" in period and "Download Excel" in period
    for html in (index, edit, period):
        assert "Biểu mẫu tỉnh ban hành" not in html and "Chỉ tiêu" not in html
