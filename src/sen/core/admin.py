"""Admin pages of the core app, in Vietnamese.

Units are read-only (``sen load_units`` writes them) and so is the audit log. Agencies,
officers and their roles are written through ``sen.core.services`` so that every change is
checked like the API's and lands in the audit log; the forms run the same checks first, so
that a refusal shows up as a form error rather than a failed request.
"""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm, UsernameField
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sen.core.models import AdministrativeUnit, Agency, AuditEntry, Membership, Role, User
from sen.core.requests import request_user
from sen.core.selectors import (
    accounts_managed_by,
    agencies_managed_by,
    unit_predecessors,
    unit_successors,
)
from sen.core.services import (
    agency_close_check,
    agency_create,
    agency_create_check,
    agency_update,
    agency_update_check,
    agency_validate,
    audit_record,
    membership_check,
    membership_grant,
    membership_revoke,
    officer_create,
    officer_create_check,
    vacancy_warnings,
)
from sen.core.text import fold
from sen.errors import DomainError


class ReadOnlyAdmin(admin.ModelAdmin):
    """Pages that show rows and change none: what the services or the log alone write."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Administrative units ------------------------------------------------------------------


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "division_type", "level", "parent", "is_legacy")
    list_filter = ("level", "is_legacy")
    list_select_related = ("parent",)
    search_fields = ("code", "folded_name")
    fields = (
        "code",
        "name",
        "division_type",
        "level",
        "parent",
        "is_legacy",
        "successor_list",
        "predecessor_list",
    )
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("đơn vị kế thừa"))
    def successor_list(self, obj: AdministrativeUnit) -> str:
        return ", ".join(f"{unit.name} ({unit.code})" for unit in unit_successors(obj)) or "—"

    @admin.display(description=_("đơn vị tiền thân"))
    def predecessor_list(self, obj: AdministrativeUnit) -> str:
        return ", ".join(f"{unit.name} ({unit.code})" for unit in unit_predecessors(obj)) or "—"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AdministrativeUnit], search_term: str
    ) -> tuple[QuerySet[AdministrativeUnit], bool]:
        # Fold the term like the stored names, so "phu ly" finds "Phường Phủ Lý".
        results, may_have_duplicates = super().get_search_results(
            request, queryset, fold(search_term)
        )
        # Agencies may only serve current units: offer no legacy ones in their pickers.
        if request.GET.get("model_name") == "agency" and request.GET.get("field_name") == "unit":
            results = results.filter(is_legacy=False)
        return results, may_have_duplicates


# --- Memberships, shown inline on agencies and on users ------------------------------------


class MembershipForm(forms.ModelForm):
    """One role of one officer in one agency; checked by the services before saving."""

    actor: User | None = None

    class Meta:
        model = Membership
        fields = ("user", "agency", "role", "is_active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user, agency, role = data.get("user"), data.get("agency"), data.get("role")
        if user is None or agency is None or not role or not self.has_changed():
            return data
        try:
            membership_check(user=user, agency=agency, role=role, actor=self.actor)
            granting = data.get("is_active", True)
            if granting and not user.is_active:
                raise ValidationError(_("Tài khoản này đã bị khóa."))
            if granting and not agency.is_active:
                raise ValidationError(_("Cơ quan này đã ngừng hoạt động."))
        except DomainError as error:
            raise ValidationError(str(error.message)) from error
        return data


class MembershipFormSet(BaseInlineFormSet):
    def save(self, commit: bool = True) -> list[Any]:
        """Write each changed row through ``membership_grant``/``membership_revoke``."""
        # Read by the admin's change message; the audit log has the details.
        self.new_objects: list[Any] = []
        self.changed_objects: list[Any] = []
        self.deleted_objects: list[Any] = []
        actor = self.form.actor
        for form in self.forms:
            if not form.has_changed() or not form.cleaned_data:
                continue
            new = form.cleaned_data
            if form.instance.pk is not None:
                old = Membership.objects.get(pk=form.instance.pk)
                same = (old.user_id, old.agency_id, old.role) == (
                    new["user"].pk,
                    new["agency"].pk,
                    new["role"],
                )
                if old.is_active and (not same or not new["is_active"]):
                    membership_revoke(user=old.user, agency=old.agency, role=old.role, actor=actor)
                if new["is_active"] and (not same or not old.is_active):
                    membership_grant(
                        user=new["user"], agency=new["agency"], role=new["role"], actor=actor
                    )
            elif new.get("is_active", True):
                membership_grant(
                    user=new["user"], agency=new["agency"], role=new["role"], actor=actor
                )
        return []


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    formset = MembershipFormSet
    extra = 1
    can_delete = False  # a role is revoked (kept, inactive), never deleted
    readonly_fields = ("created_at",)
    verbose_name = _("vai trò")
    verbose_name_plural = _("vai trò tại các cơ quan")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        # The services decide with the actor; the forms need it to run the same checks.
        formset.form = type("MembershipForm", (formset.form,), {"actor": request_user(request)})
        return formset


class AgencyMembershipInline(MembershipInline):
    fk_name = "agency"
    fields = ("user", "role", "is_active", "created_at")
    autocomplete_fields = ("user",)


class UserMembershipInline(MembershipInline):
    fk_name = "user"
    fields = ("agency", "role", "is_active", "created_at")
    autocomplete_fields = ("agency",)


def warn_of_vacancies(request: HttpRequest, pairs: list[tuple[Agency, str]]) -> None:
    """Warn, after a save, of work waiting on a role of ``pairs`` no one holds any longer:
    the change stands (an officer leaves whether or not a successor is named yet), but the
    administrator should know before the dossiers are found stuck."""
    for warning in vacancy_warnings(dict.fromkeys(pairs)):
        messages.warning(request, warning)


# --- Agencies ------------------------------------------------------------------------------


class AgencyForm(forms.ModelForm):
    actor: User | None = None

    class Meta:
        model = Agency
        fields = (
            "code",
            "name",
            "kind",
            "unit",
            "parent",
            "email",
            "phone",
            "address",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        instance = self.instance if self.instance.pk is not None else None
        code = instance.code if instance is not None else data.get("code", "")
        try:
            if instance is None:
                agency_create_check(actor=self.actor, unit=data["unit"])
            else:
                original = Agency.objects.select_related("unit").get(pk=instance.pk)
                agency_update_check(
                    actor=self.actor,
                    agency=original,
                    fields=set(self.changed_data),
                    unit=data["unit"] if "unit" in self.changed_data else None,
                )
                if original.is_active and data.get("is_active") is False:
                    agency_close_check(original)
            agency_validate(
                code=code,
                name=data.get("name", ""),
                kind=data["kind"],
                unit=data["unit"],
                parent=data.get("parent"),
                email=data.get("email", ""),
                instance=instance,
            )
        except DomainError as error:
            raise ValidationError(str(error.message)) from error
        return data


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyForm
    list_display = ("code", "name", "kind", "unit", "parent", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("unit", "parent")
    search_fields = ("code", "name")
    autocomplete_fields = ("unit", "parent")
    inlines = [AgencyMembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agency]:
        # Officers who are not superusers see the agencies they administer.
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=agencies_managed_by(request.user).values("pk"))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An agency is closed (is_active), never deleted: its dossiers, roles and audit
        # entries keep naming it.
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        agency = form.instance
        roles = agency.memberships.values_list("role", flat=True).distinct()
        warn_of_vacancies(request, [(agency, role) for role in roles])

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj is not None else ()

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return self.inlines if obj is not None else []

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("AgencyForm", (form,), {"actor": request_user(request)})

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in form.cleaned_data if name != "code"}
        if change:
            agency_update(agency=Agency.objects.get(pk=obj.pk), actor=request_user(request), **data)
            return
        created = agency_create(
            code=form.cleaned_data["code"],
            actor=request_user(request),
            **{name: value for name, value in data.items() if name != "is_active"},
        )
        # The admin goes on with ``obj`` (inlines, redirect): make it the saved agency.
        obj.pk = created.pk
        obj._state.adding = False
        obj._state.db = created._state.db


# --- Users ---------------------------------------------------------------------------------


class OfficerCreationForm(AdminUserCreationForm):
    """A new officer's account, with its first role: an administrator who is not a
    superuser creates it in an agency they administer, so that it is theirs to manage."""

    actor: User | None = None

    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Cơ quan nơi cán bộ nhận vai trò đầu tiên."),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", "---------"), *Role.choices])

    class Meta:
        model = User
        fields = ("username", "full_name", "email")
        field_classes = {"username": UsernameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        superuser = self.actor is not None and self.actor.is_superuser
        agencies = Agency.objects.all() if superuser else agencies_managed_by(self.actor)
        agency = cast(forms.ModelChoiceField, self.fields["agency"])
        agency.queryset = agencies.filter(is_active=True).order_by("name")
        agency.required = self.fields["role"].required = not superuser

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            officer_create_check(
                actor=self.actor, agency=data.get("agency"), role=data.get("role", "")
            )
        except DomainError as error:
            raise ValidationError(str(error.message)) from error
        return data


class OfficerChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}


# What only a superuser gives or takes away: who enters the admin and what they may do there.
PRIVILEGES = ("is_staff", "is_superuser", "groups", "user_permissions")


def _privilege_value(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    return sorted(str(item) for item in value or ())


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts. A superuser manages them all. An administrator who is not one (a
    provincial or agency administrator made staff) sees only the accounts
    ``accounts_managed_by`` gives them (the officers of the agencies they administer, but
    not those who also serve another agency, other staff or superusers), and changes no
    privileges; the password page reads the same list."""

    form = OfficerChangeForm
    add_form = OfficerCreationForm
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cán bộ"), {"fields": ("full_name", "email", "phone")}),
        (
            _("Quyền hạn"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                    "agency",
                    "role",
                ),
            },
        ),
    )
    inlines = [UserMembershipInline]
    readonly_fields = ("last_login", "date_joined")

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return self.inlines if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        actor = request_user(request)
        if actor.is_superuser:
            return queryset
        return queryset.filter(pk__in=accounts_managed_by(actor).values("pk"))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request_user(request).is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in PRIVILEGES]})
            for name, options in fieldsets
        ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An account is locked (is_active), never deleted: dossiers, roles and the audit log
        # keep naming it.
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            held = form.instance.memberships.select_related("agency")
            warn_of_vacancies(
                request, [(membership.agency, membership.role) for membership in held]
            )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request_user(request)})

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            changed = sorted(name for name in form.changed_data if name != "password")
            if changed:
                # Privileges with their values before and after: "is_superuser" alone does
                # not say whether it was given or taken away.
                privileges = {
                    name: {
                        "from": _privilege_value(form.initial.get(name)),
                        "to": _privilege_value(form.cleaned_data.get(name)),
                    }
                    for name in changed
                    if name in (*PRIVILEGES, "is_active")
                }
                audit_record(
                    actor=request_user(request),
                    action="core.user.changed",
                    target=obj,
                    data={"fields": changed, **({"privileges": privileges} if privileges else {})},
                )
            return
        data = form.cleaned_data
        created = officer_create(
            username=data["username"],
            full_name=data["full_name"],
            email=data.get("email", ""),
            password=data["password1"] if data.get("set_usable_password", True) else None,
            agency=data.get("agency"),
            role=data.get("role", ""),
            actor=request_user(request),
        )
        obj.pk = created.pk
        obj.password = created.password
        obj._state.adding = False
        obj._state.db = created._state.db

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's page setting an account's password, with an audit entry when it did."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                audit_record(
                    actor=request_user(request),
                    action="core.user.password_set",
                    target=User.objects.get(pk=unquote(id)),
                )
        return response


# --- Audit log -----------------------------------------------------------------------------


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "target_type", "target_key")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "target_type", "target_key")
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "actor_label", "action", "target_type", "target_key", "data")
    fields = readonly_fields
