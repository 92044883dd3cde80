"""Read-only administration of periodic reporting: to look, not to change.

Changes go through the API and pages, whose services check the rules (frozen forms, locked
periods) and write the audit log; the admin would bypass both.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sen.periodic.models import Indicator, Report, ReportForm, ReportingPeriod, ReportValue


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportForm)
class ReportFormAdmin(ReadOnly):
    list_display = ["code", "name", "period_kind", "due_days", "is_active"]
    list_filter = ["period_kind", "is_active"]
    search_fields = ["code", "name"]
    inlines = [IndicatorInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnly):
    list_display = ["form", "key", "due_at", "locked_at"]
    list_select_related = ["form"]
    list_filter = ["form"]


class ReportValueInline(IndicatorInline):
    model = ReportValue  # type: ignore[assignment]


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ["period", "agency", "status", "submitted_at", "corrected_at", "revision"]
    list_select_related = ["period__form", "agency"]
    list_filter = ["status"]
    inlines = [ReportValueInline]
