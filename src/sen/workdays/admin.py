"""Administration of the calendar: swapped days and agencies' office hours, through services."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sen.core.models import User
from sen.core.selectors import agencies_managed_by, agency_is_managed_by
from sen.errors import DomainError
from sen.workdays.models import CalendarEntry, OfficeHours
from sen.workdays.schedules import schedule_errors
from sen.workdays.services import (
    calendar_entry_check,
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_may_change,
    calendar_entry_update,
    office_hours_clear,
    office_hours_set,
)


def _actor(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


class CalendarEntryForm(forms.ModelForm):
    class Meta:
        model = CalendarEntry
        fields = ["date", "kind", "name", "legal_basis"]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data is None or self.errors:
            return data
        try:
            calendar_entry_check(
                date=data["date"],
                kind=data["kind"],
                name=data["name"],
                exclude=self.instance if self.instance.pk else None,
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return data


@admin.register(CalendarEntry)
class CalendarEntryAdmin(admin.ModelAdmin):
    form = CalendarEntryForm
    list_display = ["date", "kind", "name", "legal_basis", "created_by"]
    list_filter = ["kind"]
    search_fields = ["name", "legal_basis"]
    date_hierarchy = "date"
    readonly_fields = ["created_at", "created_by"]

    # Only provincial administrators (and superusers) change the calendar; others may look.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and calendar_entry_may_change(_actor(request))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and calendar_entry_may_change(_actor(request))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and calendar_entry_may_change(_actor(request))

    def save_model(self, request: HttpRequest, obj: CalendarEntry, form: Any, change: bool) -> None:
        actor = _actor(request)
        if change:
            stored = CalendarEntry.objects.get(pk=obj.pk)
            calendar_entry_update(
                entry=stored,
                date=obj.date,
                kind=obj.kind,
                name=obj.name,
                legal_basis=obj.legal_basis,
                actor=actor,
            )
        else:
            created = calendar_entry_create(
                date=obj.date,
                kind=obj.kind,
                name=obj.name,
                legal_basis=obj.legal_basis,
                actor=actor,
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: CalendarEntry) -> None:
        actor = _actor(request)
        calendar_entry_delete(entry=obj, actor=actor)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarEntry]) -> None:
        for entry in queryset:
            self.delete_model(request, entry)


class OfficeHoursForm(forms.ModelForm):
    class Meta:
        model = OfficeHours
        fields = ["agency", "schedule"]

    def clean_schedule(self) -> Any:
        schedule = self.cleaned_data["schedule"]
        errors = schedule_errors(schedule)
        if errors:
            raise forms.ValidationError([e["message"] for e in errors])
        return schedule


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    form = OfficeHoursForm
    list_display = ["agency", "updated_at", "updated_by"]
    search_fields = ["agency__name", "agency__code"]
    readonly_fields = ["updated_at", "updated_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OfficeHours]:
        managed = agencies_managed_by(_actor(request))
        return super().get_queryset(request).filter(agency__in=managed).select_related("agency")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "agency":
            kwargs["queryset"] = agencies_managed_by(_actor(request)).filter(office_hours=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or agency_is_managed_by(_actor(request), obj.agency))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or agency_is_managed_by(_actor(request), obj.agency))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # An agency's hours are changed in place, never moved to another agency.
        fields = ["updated_at", "updated_by"]
        return [*fields, "agency"] if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: OfficeHours, form: Any, change: bool) -> None:
        actor = _actor(request)
        saved = office_hours_set(agency=obj.agency, schedule=obj.schedule, actor=actor)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: OfficeHours) -> None:
        actor = _actor(request)
        office_hours_clear(agency=obj.agency, actor=actor)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OfficeHours]) -> None:
        for row in queryset.select_related("agency"):
            self.delete_model(request, row)
