"""The demo periodic reports, seeded through the services."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from sen.core.demo import seed_demo_org
from sen.core.services import units_load
from sen.periodic.demo import FORM_CODE
from sen.periodic.models import Report, ReportForm
from sen.periodic.selectors import reporter_state


@pytest.mark.django_db
def test_the_demo_has_reports_on_time_late_in_draft_and_missing():
    units_load(province_codes=["37"])
    seed_demo_org()

    call_command("seed_demo_periodic", verbosity=0)
    call_command("seed_demo_periodic", verbosity=0)  # a second run adds nothing

    form = ReportForm.objects.get(code=FORM_CODE)
    assert form.periods.count() == 2
    earlier, last = form.periods.order_by("starts_on")
    now = timezone.now()
    states = sorted(
        (r.agency.code, r.status, reporter_state(r, earlier, now))
        for r in Report.objects.filter(period=earlier)
    )
    assert states == [
        ("000.20.01.H37", "submitted", "on_time"),
        ("000.20.02.H37", "submitted", "late"),
        ("000.20.03.H37", "submitted", "on_time"),
    ]
    assert sorted(Report.objects.filter(period=last).values_list("status", flat=True)) == [
        "draft",
        "submitted",
    ]
