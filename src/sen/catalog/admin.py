"""Admin of the catalog, for provincial administrators.

Stored versions are read-only here, because a dossier may use them. Changes go through
``sen.catalog.services`` and so become new versions: the "Nhập danh mục" page imports a
JSON or Excel file with a row-by-row report, and "Sửa (tạo phiên bản mới)" edits the
current version in the interchange format (JSON) and saves it with ``procedure_save``.
"Mẫu đơn, tờ khai" attaches the blank forms of the current version's components; they are
files outside the format and change without a new version.
"""

import json
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sen.catalog.interchange import clean_fields, procedure_to_dict
from sen.catalog.models import (
    DocumentComponent,
    Fee,
    Field,
    Implementation,
    Procedure,
    ProcessStep,
)
from sen.catalog.reports import ImportReport
from sen.catalog.selectors import procedures_with_parts
from sen.catalog.services import (
    ABOLITION_BASIS_MAX,
    InvalidProcedure,
    InvalidTemplateFile,
    ProcedureConflict,
    ProcedureSuperseded,
    catalog_export,
    catalog_export_xlsx,
    catalog_import,
    catalog_import_xlsx,
    component_template_clear,
    component_template_set,
    field_save,
    procedure_abolish,
    procedure_save,
    template_change_allowed,
)
from sen.catalog.templatefiles import CONTENT_TYPES
from sen.core.admin import ReadOnlyAdmin
from sen.core.errors import StorageUnavailable
from sen.core.models import User
from sen.errors import DomainError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _can_change_catalog(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("catalog.add_procedure"))


def _stored_size(component: DocumentComponent) -> int | None:
    """Return the size of a component's template in storage, or None if none is there."""
    if not component.template:
        return None
    try:
        return int(component.template.size)
    except OSError:  # named in the database but gone from storage
        return None


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ImplementationInline(_ReadOnlyInline):
    model = Implementation
    fields = ("position", "level", "agency")


class ComponentInline(_ReadOnlyInline):
    model = DocumentComponent
    fields = ("position", "name", "originals", "copies", "required", "note", "template")


class FeeInline(_ReadOnlyInline):
    model = Fee
    fields = ("position", "kind", "amount", "description")


class StepInline(_ReadOnlyInline):
    model = ProcessStep
    fields = ("position", "name", "role", "agency", "duration", "unit")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh mục"),
        help_text=gettext_lazy(
            "Tệp .json theo định dạng sen.catalog/1 hoặc bảng tính .xlsx theo mẫu xuất ra từ "
            "Sen. Nhập tất cả hoặc không nhập gì nếu có lỗi."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".json", ".xlsx")):
            raise forms.ValidationError(_("Chỉ nhận tệp .json hoặc .xlsx."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn quá 20 MB."))
        return upload


# Room in a form's text for the editor's other fields (the CSRF token, the button, the
# multipart boundaries): the JSON may take the rest of what Django reads.
EDITOR_FORM_ROOM = 1024


def editor_limit() -> int | None:
    """Return the most bytes (UTF-8) of JSON the procedure editor takes, or None if the site
    reads forms of any size: past it Django would refuse the whole form unread."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return None if limit is None else limit - EDITOR_FORM_ROOM


def too_large_message(limit: int) -> str:
    return _(
        "Nội dung quá lớn để lưu: tối đa %(limit)s cho một thủ tục. Để nhập nhiều thủ tục "
        "một lúc, hãy dùng trang Nhập danh mục."
    ) % {"limit": filesizeformat(limit)}


class ProcedureJSONForm(forms.Form):
    """The current version in the interchange format. The page sends it as multipart, so
    that its size is the text's own, not three times that for each letter with a diacritic
    percent-encoded; the box carries its limit (``data-max-bytes``), which
    ``catalog/editor.js`` checks before sending, keeping the text on the page."""

    content = forms.CharField(
        label=gettext_lazy("Nội dung thủ tục (JSON, định dạng sen.catalog/1)"),
        widget=forms.Textarea(attrs={"rows": 40, "cols": 120, "class": "vLargeTextField"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = editor_limit()
        if limit is not None:
            self.fields["content"].widget.attrs.update(
                {"data-max-bytes": str(limit), "data-too-large": too_large_message(limit)}
            )

    def clean_content(self) -> Any:
        limit = editor_limit()
        if limit is not None and len(self.cleaned_data["content"].encode()) > limit:
            raise forms.ValidationError(too_large_message(limit))
        try:
            data = json.loads(self.cleaned_data["content"])
        except ValueError as error:
            raise forms.ValidationError(
                _("Không phải JSON đọc được: %(error)s") % {"error": error}
            ) from error
        if not isinstance(data, dict):
            raise forms.ValidationError(_("Phải là một đối tượng JSON."))
        return data


class AbolishForm(forms.Form):
    basis = forms.CharField(
        label=_("Văn bản bãi bỏ"),
        max_length=ABOLITION_BASIS_MAX,
        help_text=_(
            "Số, ngày và cơ quan ban hành, ví dụ: Quyết định số 123/QĐ-BTP ngày 01/11/2026."
        ),
        widget=forms.TextInput(attrs={"size": 80}),
    )


class TemplateChangeForm(forms.Form):
    """One change to one component's blank form: upload (or replace) it, or remove it."""

    position = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[("upload", gettext_lazy("Tải lên")), ("clear", gettext_lazy("Xoá"))],
        widget=forms.HiddenInput,
    )
    # Empty files and types are judged by the service, with its own codes and messages.
    upload = forms.FileField(
        label=gettext_lazy("Tệp mẫu"), required=False, allow_empty_file=True, max_length=255
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == "upload" and not cleaned.get("upload"):
            self.add_error("upload", _("Chọn tệp mẫu để tải lên."))
        return cleaned


class FieldForm(forms.ModelForm):
    class Meta:
        model = Field
        fields = ("code", "name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("code", self.instance.code)
        _fields, problems = clean_fields([{"code": code, "name": cleaned.get("name", "")}])
        for problem in problems:
            key = problem.field.removeprefix("fields[0].")
            self.add_error(key if key in self.fields else None, problem.message)
        return cleaned


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    form = FieldForm
    list_display = ("code", "name")
    search_fields = ("code", "name")
    ordering = ("name",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The code is the key other systems and files use: fixed once created.
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Field, form: Any, change: bool) -> None:
        # Through the service: a rename must also refresh the search text of the procedures.
        saved = field_save(code=obj.code, name=obj.name, actor=request.user)  # type: ignore[arg-type]
        obj.pk = saved.pk


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name",
        "version",
        "is_current",
        "field",
        "online_level",
        "processing_days",
    )
    list_display_links = ("code", "name")
    list_filter = ("is_current", "online_level", "field")
    search_fields = ("code", "name", "search_text")
    list_select_related = ("field",)
    ordering = ("code", "-version")
    inlines = (ImplementationInline, ComponentInline, FeeInline, StepInline)
    actions = ("export_json", "export_xlsx")
    fields = (
        ("code", "version", "is_current"),
        "name",
        "field",
        ("online_level", "processing_days"),
        "accepts_office_documents",
        "description",
        "applicants",
        "conditions",
        "legal_basis",
        "results",
        "form_schema",
        ("created_at", "superseded_at"),
        ("abolished_at", "abolition_basis"),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [
            name for line in self.fields for name in (line if isinstance(line, tuple) else (line,))
        ]

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="catalog_procedure_import"),
            path("export.json", wrap(self.export_json_view), name="catalog_procedure_export_json"),
            path("export.xlsx", wrap(self.export_xlsx_view), name="catalog_procedure_export_xlsx"),
            path("<int:pk>/edit/", wrap(self.edit_view), name="catalog_procedure_edit"),
            path("<int:pk>/abolish/", wrap(self.abolish_view), name="catalog_procedure_abolish"),
            path(
                "<int:pk>/templates/",
                wrap(self.templates_view),
                name="catalog_procedure_templates",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "can_import": _can_change_catalog(request)}
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        procedure = self.get_object(request, object_id)
        current = procedure is not None and procedure.is_current
        extra_context = {
            **(extra_context or {}),
            "can_edit_version": current and _can_change_catalog(request),
            "can_edit_templates": current and template_change_allowed(request.user),  # type: ignore[arg-type]
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def abolish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Abolish the procedure of this current version, naming the act that did
        (``procedure_abolish``): no new dossier from then on."""
        if not _can_change_catalog(request):
            raise PermissionDenied
        procedure = get_object_or_404(Procedure, pk=pk, is_current=True)
        form = AbolishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                procedure_abolish(
                    code=procedure.code,
                    basis=form.cleaned_data["basis"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except DomainError as error:
                form.add_error("basis", str(error.message))
            else:
                self.message_user(
                    request,
                    _("Đã bãi bỏ thủ tục %(code)s: từ nay không nhận hồ sơ mới.")
                    % {"code": procedure.code},
                    messages.SUCCESS,
                )
                url = reverse("admin:catalog_procedure_change", args=[procedure.pk])
                return HttpResponseRedirect(url)
        context = {
            **self._context(request, _("Bãi bỏ thủ tục %(code)s") % {"code": procedure.code}),
            "form": form,
            "procedure": procedure,
        }
        return TemplateResponse(request, "admin/catalog/procedure/abolish.html", context)

    def _context(self, request: HttpRequest, title: str) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
        }

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a catalog file and show what the import did, or every problem found."""
        if not _can_change_catalog(request):
            raise PermissionDenied
        report: ImportReport | None = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            actor = request.user
            if upload.name.lower().endswith(".xlsx"):
                report = catalog_import_xlsx(content=content, actor=actor, source=upload.name)  # type: ignore[arg-type]
            else:
                try:
                    data = json.loads(content)
                except ValueError as error:
                    form.add_error(
                        "file", _("Tệp không phải JSON đọc được: %(error)s") % {"error": error}
                    )
                else:
                    report = catalog_import(data=data, actor=actor, source=upload.name)  # type: ignore[arg-type]
            if report is not None:
                level = messages.SUCCESS if report.ok else messages.ERROR
                self.message_user(request, report.summary(), level)
        context = {
            **self._context(request, _("Nhập danh mục thủ tục")),
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/catalog/procedure/import.html", context)

    def edit_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Edit the current version as JSON; saving makes a new version through procedure_save."""
        if not _can_change_catalog(request):
            raise PermissionDenied
        procedure = get_object_or_404(
            procedures_with_parts(Procedure.objects.all()), pk=pk, is_current=True
        )
        problems: list[dict[str, Any]] = []
        if request.method == "POST":
            form = ProcedureJSONForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data["content"]
                if data.get("code") != procedure.code:
                    problems = [{"field": "code", "message": _("Không được đổi mã thủ tục.")}]
                else:
                    try:
                        saved = procedure_save(data=data, actor=request.user)  # type: ignore[arg-type]
                    except InvalidProcedure as error:
                        problems = error.details
                    except ProcedureConflict as error:
                        problems = [{"field": "", "message": error.message}]
                    else:
                        if saved.pk == procedure.pk:
                            self.message_user(request, _("Không có thay đổi nào."), messages.INFO)
                        else:
                            self.message_user(
                                request,
                                _("Đã lưu phiên bản %(version)d của thủ tục %(code)s.")
                                % {"version": saved.version, "code": saved.code},
                                messages.SUCCESS,
                            )
                        url = reverse("admin:catalog_procedure_change", args=[saved.pk])
                        return HttpResponseRedirect(url)
        else:
            initial = json.dumps(procedure_to_dict(procedure), ensure_ascii=False, indent=2)
            form = ProcedureJSONForm(initial={"content": initial})
        context = {
            **self._context(
                request, _("Sửa thủ tục %(code)s (tạo phiên bản mới)") % {"code": procedure.code}
            ),
            "form": form,
            "procedure": procedure,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/catalog/procedure/edit.html", context)

    def templates_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """List the components' blank forms; upload, replace or remove one per request.

        Only the current version's forms change; a superseded version shows why not and
        where the current one is.
        """
        actor = cast(User, request.user)  # the admin only lets authenticated staff in
        if not template_change_allowed(actor):
            raise PermissionDenied
        procedure = get_object_or_404(Procedure, pk=pk)
        components = list(procedure.components.all())
        errors: dict[int, list[str]] = {}
        if request.method == "POST" and procedure.is_current:
            form = TemplateChangeForm(request.POST, request.FILES)
            position = form.data.get("position", "")
            by_position = {str(component.position): component for component in components}
            component = by_position.get(position)
            if component is None:
                self.message_user(request, _("Không có thành phần hồ sơ này."), messages.ERROR)
            elif not form.is_valid():
                errors[component.position] = [
                    str(message) for problems in form.errors.values() for message in problems
                ]
            else:
                try:
                    if form.cleaned_data["action"] == "clear":
                        component_template_clear(component=component, actor=actor)
                        done = _("Đã xoá mẫu đơn, tờ khai của “%(name)s”.")
                    else:
                        component_template_set(
                            component=component,
                            upload=form.cleaned_data["upload"],
                            actor=actor,
                        )
                        done = _("Đã lưu mẫu đơn, tờ khai của “%(name)s”.")
                except (InvalidTemplateFile, StorageUnavailable) as error:
                    errors[component.position] = [error.message]
                except ProcedureSuperseded as error:
                    self.message_user(request, error.message, messages.ERROR)
                    return HttpResponseRedirect(request.path)
                else:
                    self.message_user(request, done % {"name": component.name}, messages.SUCCESS)
                    return HttpResponseRedirect(request.path)
        current = None
        if not procedure.is_current:
            current = Procedure.objects.filter(code=procedure.code, is_current=True).first()
        context = {
            **self._context(
                request, _("Mẫu đơn, tờ khai của thủ tục %(code)s") % {"code": procedure.code}
            ),
            "procedure": procedure,
            "current": current,
            "rows": [
                {
                    "component": component,
                    "file_name": component.template.name.rsplit("/", 1)[-1]
                    if component.template
                    else "",
                    "size": _stored_size(component),
                    "errors": errors.get(component.position, []),
                }
                for component in components
            ],
            "accept": ",".join(f".{extension}" for extension in CONTENT_TYPES),
        }
        return TemplateResponse(request, "admin/catalog/procedure/templates.html", context)

    def export_json_view(self, request: HttpRequest) -> HttpResponse:
        return self._json_response(catalog_export())

    def export_xlsx_view(self, request: HttpRequest) -> HttpResponse:
        return self._xlsx_response(catalog_export_xlsx())

    @admin.action(description=gettext_lazy("Xuất các thủ tục đã chọn (JSON)"))
    def export_json(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> HttpResponse:
        codes = set(queryset.values_list("code", flat=True))
        return self._json_response(catalog_export(codes=codes))

    @admin.action(description=gettext_lazy("Xuất các thủ tục đã chọn (Excel)"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> HttpResponse:
        codes = set(queryset.values_list("code", flat=True))
        return self._xlsx_response(catalog_export_xlsx(codes=codes))

    @staticmethod
    def _json_response(catalog: dict[str, Any]) -> HttpResponse:
        content = json.dumps(catalog, ensure_ascii=False, indent=2)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="danh-muc-thu-tuc.json"'
        return response

    @staticmethod
    def _xlsx_response(content: bytes) -> HttpResponse:
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="danh-muc-thu-tuc.xlsx"'
        return response
