"""Demo data of periodic reporting: a monthly socio-economic form of Ninh Bình, two periods
with reports on time, late, in draft and missing. Used by ``sen seed_demo_periodic``.

Needs the demo organisation (``sen seed_demo_org``). Idempotent: nothing is added when the
demo form exists. Written through the services, so the audit log tells the same story.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.core.demo import COMMUNE_AGENCIES, PROVINCE_CODE, require_demo_data_allowed
from sen.core.errors import UnitsNotLoaded
from sen.core.selectors import unit_get
from sen.periodic.models import ReportForm
from sen.periodic.periods import period_before
from sen.periodic.services import (
    IndicatorSpec,
    report_form_create,
    report_save,
    reporting_period_open,
)
from sen.workdays.errors import AgencyNotFound
from sen.workdays.selectors import agency_by_code

FORM_CODE = "KTXH-THANG"
AGRICULTURE = "000.12.00.H37"
INDICATORS = [
    IndicatorSpec("NN01", "Diện tích lúa gieo cấy", "ha"),
    IndicatorSpec("NN02", "Sản lượng lương thực có hạt", "tấn"),
    IndicatorSpec("CN01", "Giá trị sản xuất công nghiệp", "triệu đồng"),
    IndicatorSpec("XH01", "Số lao động được tạo việc làm", "người", "integer"),
    IndicatorSpec("XH02", "Tỷ lệ hộ nghèo", "%", "decimal", "average", max_value=Decimal(100)),
]
# Figures of each reporter (by position of COMMUNE_AGENCIES, then the department).
FIGURES = [
    {"NN01": "1250.5", "NN02": "7480", "CN01": "35200", "XH01": "86", "XH02": "1.8"},
    {"NN01": "320", "NN02": "1910.4", "CN01": "128500", "XH01": "240", "XH02": "0.9"},
    {"NN01": "2105.25", "NN02": "12630", "CN01": "8150", "XH01": "42", "XH02": "3.6"},
]


@dataclass
class DemoReport:
    created: bool
    periods: list[str]


@transaction.atomic
def seed_demo_periodic() -> DemoReport:
    """Create the demo form, its last two monthly periods and their reports, if missing.

    Raise ``DemoDataRefused`` where demo data is not taken."""
    require_demo_data_allowed()
    if ReportForm.objects.filter(code=FORM_CODE).exists():
        keys = ReportForm.objects.get(code=FORM_CODE).periods.values_list("key", flat=True)
        return DemoReport(created=False, periods=sorted(keys))
    province = unit_get(level="province", code=PROVINCE_CODE)
    codes = [code for code, _name in COMMUNE_AGENCIES]
    try:
        agencies = {code: agency_by_code(code=code) for code in [*codes, AGRICULTURE]}
    except AgencyNotFound:
        raise UnitsNotLoaded(_("Chưa có cơ quan mẫu. Chạy `sen seed_demo_org` trước.")) from None
    communes = [agencies[code] for code in codes]
    form = report_form_create(
        province=province,
        code=FORM_CODE,
        name="Báo cáo tình hình kinh tế - xã hội hằng tháng",
        period_kind="month",
        due_days=5,
        indicators=INDICATORS,
        reporters=[*communes, agencies[AGRICULTURE]],
        actor=None,
    )
    today = timezone.localdate()
    last = period_before("month", today)
    earlier = period_before("month", last.first)
    done = reporting_period_open(form=form, key=earlier.key, actor=None)
    current = reporting_period_open(form=form, key=last.key, actor=None)
    # The earlier month: one on time, one late, one corrected, the department missing.
    on_time, late = done.due_at - timedelta(days=1), done.due_at + timedelta(days=2)
    for agency, figures, moment in zip(communes, FIGURES, [on_time, late, on_time], strict=True):
        report_save(period=done, agency=agency, values=figures, submit=True, actor=None, now=moment)
    report_save(period=done, agency=communes[2], values={"XH01": "44"}, actor=None, now=late)
    # The last month: one submitted, one draft, the rest not begun.
    report_save(period=current, agency=communes[0], values=FIGURES[0], submit=True, actor=None)
    report_save(period=current, agency=communes[1], values={"NN01": "318"}, actor=None)
    return DemoReport(created=True, periods=[done.key, current.key])
