"""The catalog interchange format ``sen.catalog/1``: checking, normalising and writing it.

One procedure in the format is a JSON object (see ``PROCEDURE_KEYS``; every key but
``code``, ``name``, ``field``, ``online_level`` and ``processing_days`` is optional, and
``accepts_office_documents``, whether applicants may attach Word, Excel and OpenDocument
files, is written only when true); a catalog is
``{"format": "sen.catalog/1", "fields": [...], "procedures": [...]}``. Import, export, the
Excel workbook and the demo data all go through the functions here, so that a procedure
has exactly one canonical form: the one ``clean_procedure`` returns and
``procedure_to_dict`` writes back. Its SHA-256 (``content_digest``) tells an unchanged
re-import from a new version.

Checking is pure (the known field and agency codes are passed in) and reports every
problem at once, each with the path of the value at fault (``steps[2].role``).
"""

import dataclasses
import hashlib
import json
import re
from collections.abc import Container, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, SchemaError
from jsonschema.validators import validator_for

from sen.catalog.models import (
    STEP_ROLES,
    DurationUnit,
    FeeKind,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
)
from sen.core.text import group_thousands
from sen.eforms.profile import profile_problems
from sen.eforms.validation import message_of
from sen.validation_messages import GENERIC
from sen.workdays.calendar import STANDARD_DAY_HOURS

FORMAT = "sen.catalog/1"
CATALOG_KEYS = ("format", "fields", "procedures")
PROCEDURE_KEYS = (
    "code",
    "name",
    "field",
    "online_level",
    "processing_days",
    "implementations",
    "description",
    "applicants",
    "conditions",
    "legal_basis",
    "results",
    "components",
    "accepts_office_documents",
    "fees",
    "steps",
    "form_schema",
)
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_CODE = re.compile(r"[0-9]\.[0-9]{6}")
_FIELD_CODE = re.compile(r"[-a-zA-Z0-9_]+")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# Limits of the database columns (PositiveSmallIntegerField, PositiveBigIntegerField, and
# DecimalField(max_digits=6)).
_MAX_COUNT = 32767
_MAX_AMOUNT = 2**63 - 1
_MAX_DAYS = Decimal("99999.5")
_MAX_DURATION = Decimal("9999.99")


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with a procedure: the path of the value at fault and why."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def decimal_text(value: Decimal) -> str:
    """Write a decimal as the format does: ``"1"``, ``"0.5"``, ``"10"`` (no exponent)."""
    return format(value.normalize(), "f")


def content_digest(procedure: dict[str, Any]) -> str:
    """Return the SHA-256 of a canonical procedure dict, independent of key order."""
    text = json.dumps(procedure, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Collect problems while reading one procedure dict."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str, message: str) -> None:
        self.problems.append(Problem(field, message))

    def unknown_keys(self, item: dict[str, Any], allowed: Iterable[str], path: str) -> None:
        allowed = set(allowed)
        for key in item:
            if key not in allowed:
                self.add(
                    f"{path}.{key}" if path else str(key),
                    _("Trường này không thuộc định dạng %(format)s.") % {"format": FORMAT},
                )

    def text(
        self,
        item: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        max_length: int | None = None,
    ) -> str:
        value = item.get(key)
        if value is None:
            if required:
                self.add(path, _("Không được để trống."))
            return ""
        if not isinstance(value, str):
            self.add(path, _("Phải là một chuỗi ký tự."))
            return ""
        value = value.strip()
        if required and not value:
            self.add(path, _("Không được để trống."))
        if max_length is not None and len(value) > max_length:
            self.add(path, _("Dài quá %(max)s ký tự.") % {"max": group_thousands(max_length)})
        return value

    def text_list(self, item: dict[str, Any], key: str) -> list[str]:
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(key, _("Phải là một danh sách chuỗi ký tự."))
            return []
        result = []
        for index, entry in enumerate(value):
            if not isinstance(entry, str) or not entry.strip():
                self.add(f"{key}[{index}]", _("Phải là một chuỗi ký tự khác rỗng."))
            else:
                result.append(entry.strip())
        return result

    def count(self, item: dict[str, Any], key: str, path: str, *, default: int) -> int:
        value = item.get(key, default)
        if not _is_int(value) or not 0 <= value <= _MAX_COUNT:
            self.add(path, _("Phải là số nguyên từ 0 đến %(max)d.") % {"max": _MAX_COUNT})
            return default
        return value

    def decimal(self, value: Any, path: str) -> Decimal | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
            try:
                return Decimal(value.strip())
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                pass
        self.add(path, _('Phải là số thập phân viết dạng chuỗi, dùng dấu chấm, ví dụ "1.5".'))
        return None

    def items(self, data: dict[str, Any], key: str, *, required: bool) -> list[Any]:
        value = data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.add(key, _("Phải là một danh sách."))
            return []
        return value


def clean_procedure(
    data: Any,
    *,
    field_codes: Container[str],
    agency_codes: Container[str],
    closed_agency_codes: Container[str] = frozenset(),
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check one procedure dict and return its canonical form, or the problems found.

    ``field_codes`` and ``agency_codes`` are the codes that exist, ``closed_agency_codes``
    those of agencies that no longer work (which no procedure may name: its dossiers would
    go to a desk no one serves). Every rule is checked and every problem reported, not only
    the first. Optional keys get their defaults (empty texts and lists, one original and no
    copy, required components).
    """
    agencies = _Agencies(agency_codes, closed_agency_codes)
    check = _Checker()
    if not isinstance(data, dict):
        return None, [Problem("", _("Thủ tục phải là một đối tượng JSON."))]
    check.unknown_keys(data, PROCEDURE_KEYS, "")

    code = data.get("code")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        check.add("code", _("Mã thủ tục phải có dạng 1.001193 (một chữ số, dấu chấm, sáu chữ số)."))
        code = ""
    name = check.text(data, "name", "name", required=True, max_length=500)
    field = check.text(data, "field", "field", required=True)
    if field and field not in field_codes:
        check.add("field", _("Lĩnh vực «%(code)s» không có trong danh mục.") % {"code": field})

    online_level = data.get("online_level")
    if online_level not in OnlineLevel.values:
        check.add("online_level", _("Mức độ trực tuyến phải là full, partial hoặc none."))

    days = None
    if "processing_days" not in data:
        check.add("processing_days", _("Thiếu thời hạn giải quyết."))
    else:
        days = check.decimal(data["processing_days"], "processing_days")
        if days is not None:
            if days <= 0 or days > _MAX_DAYS:
                check.add("processing_days", _("Thời hạn giải quyết phải lớn hơn 0 ngày."))
                days = None
            elif days % Decimal("0.5"):
                check.add("processing_days", _("Thời hạn giải quyết phải là bội số của 0.5 ngày."))
                days = None

    implementations = _clean_implementations(check, data, agencies)
    components = _clean_components(check, data)
    fees = _clean_fees(check, data)
    steps, total_hours = _clean_steps(check, data, agencies)
    if days is not None and total_hours is not None:
        expected = days * STANDARD_DAY_HOURS
        if total_hours != expected:
            check.add(
                "steps",
                _(
                    "Tổng thời gian các bước là %(total)s giờ làm việc, phải bằng thời hạn "
                    "giải quyết %(days)s ngày × %(hours)s giờ = %(expected)s giờ làm việc."
                )
                % {
                    "total": decimal_text(total_hours),
                    "days": decimal_text(days),
                    "hours": decimal_text(STANDARD_DAY_HOURS),
                    "expected": decimal_text(expected),
                },
            )
    form_schema = _clean_form_schema(check, data)
    office = data.get("accepts_office_documents", False)
    if not isinstance(office, bool):
        check.add("accepts_office_documents", _("Phải là true hoặc false."))

    procedure = {
        "code": code,
        "name": name,
        "field": field,
        "online_level": online_level,
        "processing_days": decimal_text(days) if days is not None else "",
        "implementations": implementations,
        "description": check.text(data, "description", "description"),
        "applicants": check.text(data, "applicants", "applicants"),
        "conditions": check.text(data, "conditions", "conditions"),
        "legal_basis": check.text_list(data, "legal_basis"),
        "results": check.text_list(data, "results"),
        "components": components,
        **_office_documents(office is True),
        "fees": fees,
        "steps": steps,
        "form_schema": form_schema,
    }
    if check.problems:
        return None, check.problems
    return procedure, []


@dataclasses.dataclass(frozen=True)
class _Agencies:
    """The agency codes a procedure may name: those that exist, less those closed."""

    known: Container[str]
    closed: Container[str]

    def check(self, check: _Checker, path: str, agency: str) -> None:
        if agency not in self.known:
            check.add(path, _("Không có cơ quan mã «%(code)s».") % {"code": agency})
        elif agency in self.closed:
            check.add(path, _("Cơ quan mã «%(code)s» đã ngừng hoạt động.") % {"code": agency})


def _clean_implementations(
    check: _Checker, data: dict[str, Any], agencies: _Agencies
) -> list[dict[str, Any]]:
    items = check.items(data, "implementations", required=True)
    if not items and "implementations" in data and isinstance(data["implementations"], list):
        check.add("implementations", _("Phải có ít nhất một cấp, cơ quan thực hiện."))
    result = []
    seen: set[tuple[Any, Any]] = set()
    for index, item in enumerate(items):
        path = f"implementations[{index}]"
        if not isinstance(item, dict):
            check.add(path, _("Phải là một đối tượng JSON."))
            continue
        check.unknown_keys(item, ("level", "agency"), path)
        level = item.get("level")
        if level not in ProcedureLevel.values:
            check.add(f"{path}.level", _("Cấp thực hiện phải là commune hoặc province."))
        agency = item.get("agency")
        if agency is None:
            if level == ProcedureLevel.PROVINCE:
                check.add(
                    f"{path}.agency",
                    _(
                        "Thủ tục cấp tỉnh phải ghi mã cơ quan thực hiện; chỉ cấp xã mới được "
                        "để trống (mọi Ủy ban nhân dân cấp xã)."
                    ),
                )
        elif not isinstance(agency, str):
            check.add(f"{path}.agency", _("Phải là mã cơ quan hoặc null."))
            agency = None
        else:
            agencies.check(check, f"{path}.agency", agency)
        key = (level, agency)
        if key in seen:
            check.add(path, _("Cấp và cơ quan thực hiện này đã có ở trên."))
        seen.add(key)
        result.append({"level": level, "agency": agency})
    return result


def _clean_components(check: _Checker, data: dict[str, Any]) -> list[dict[str, Any]]:
    items = check.items(data, "components", required=True)
    result = []
    for index, item in enumerate(items):
        path = f"components[{index}]"
        if not isinstance(item, dict):
            check.add(path, _("Phải là một đối tượng JSON."))
            continue
        check.unknown_keys(item, ("name", "originals", "copies", "required", "note"), path)
        required = item.get("required", True)
        if not isinstance(required, bool):
            check.add(f"{path}.required", _("Phải là true hoặc false."))
            required = True
        result.append(
            {
                "name": check.text(item, "name", f"{path}.name", required=True, max_length=500),
                "originals": check.count(item, "originals", f"{path}.originals", default=1),
                "copies": check.count(item, "copies", f"{path}.copies", default=0),
                "required": required,
                "note": check.text(item, "note", f"{path}.note"),
            }
        )
    if isinstance(data.get("components"), list):
        if not items:
            check.add("components", _("Phải có ít nhất một thành phần hồ sơ."))
        elif not any(
            item.get("required", True) is True for item in items if isinstance(item, dict)
        ):
            check.add("components", _("Phải có ít nhất một thành phần hồ sơ bắt buộc."))
    return result


def _clean_fees(check: _Checker, data: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    for index, item in enumerate(check.items(data, "fees", required=False)):
        path = f"fees[{index}]"
        if not isinstance(item, dict):
            check.add(path, _("Phải là một đối tượng JSON."))
            continue
        check.unknown_keys(item, ("kind", "amount", "description"), path)
        kind = item.get("kind")
        if kind not in FeeKind.values:
            check.add(f"{path}.kind", _("Loại phải là fee (lệ phí) hoặc charge (phí)."))
        amount = item.get("amount")
        if (
            isinstance(amount, bool)
            or not isinstance(amount, int)
            or not 0 <= amount <= _MAX_AMOUNT
        ):
            check.add(f"{path}.amount", _("Mức thu phải là số nguyên đồng không âm."))
        result.append(
            {
                "kind": kind,
                "amount": amount,
                "description": check.text(item, "description", f"{path}.description"),
            }
        )
    return result


def _clean_steps(
    check: _Checker, data: dict[str, Any], agencies: _Agencies
) -> tuple[list[dict[str, Any]], Decimal | None]:
    """Return the steps and their total in working hours (None if a duration is unusable)."""
    items = check.items(data, "steps", required=True)
    if not items and isinstance(data.get("steps"), list):
        check.add("steps", _("Phải có ít nhất một bước xử lý."))
    result = []
    total: Decimal | None = Decimal(0) if items else None
    roles = [role.value for role in STEP_ROLES]
    for index, item in enumerate(items):
        path = f"steps[{index}]"
        if not isinstance(item, dict):
            check.add(path, _("Phải là một đối tượng JSON."))
            total = None
            continue
        check.unknown_keys(item, ("name", "role", "agency", "duration", "unit"), path)
        role = item.get("role")
        if role not in roles:
            check.add(
                f"{path}.role",
                _("Vai trò phải là một trong: %(roles)s.") % {"roles": ", ".join(roles)},
            )
        agency = item.get("agency")
        if agency is not None:
            if not isinstance(agency, str):
                check.add(f"{path}.agency", _("Phải là mã cơ quan hoặc null."))
                agency = None
            else:
                agencies.check(check, f"{path}.agency", agency)
        unit = item.get("unit")
        if unit not in DurationUnit.values:
            check.add(f"{path}.unit", _("Đơn vị thời gian phải là hours hoặc days."))
        duration = check.decimal(item.get("duration"), f"{path}.duration")
        if duration is not None:
            if duration <= 0 or duration > _MAX_DURATION:
                check.add(f"{path}.duration", _("Thời gian phải lớn hơn 0."))
                duration = None
            elif duration != duration.quantize(Decimal("0.01")):
                check.add(f"{path}.duration", _("Thời gian có nhiều nhất hai chữ số thập phân."))
                duration = None
        if duration is None or unit not in DurationUnit.values:
            total = None
        elif total is not None:
            total += duration * STANDARD_DAY_HOURS if unit == DurationUnit.DAYS else duration
        result.append(
            {
                "name": check.text(item, "name", f"{path}.name", required=True, max_length=255),
                "role": role,
                "agency": agency,
                "duration": decimal_text(duration) if duration is not None else "",
                "unit": unit,
            }
        )
    return result, total


def _clean_form_schema(check: _Checker, data: dict[str, Any]) -> dict[str, Any]:
    if "form_schema" not in data:
        check.add("form_schema", _("Thiếu biểu mẫu điện tử (JSON Schema)."))
        return {}
    schema = data["form_schema"]
    for problem in form_schema_problems(schema):
        check.add("form_schema", problem)
    return with_property_order(schema) if isinstance(schema, dict) else {}


def form_schema_problems(schema: Any) -> list[str]:
    """Return why the catalog refuses the e-form ``schema``, each saying where; none if it fits.

    The catalog's rule for e-forms, on the editor and both imports (``clean_procedure``)
    and on the procedures already stored (``sen check_catalog``): a valid JSON Schema
    draft 2020-12 of an object, within Sen's e-form profile (ADR 0023).
    """
    if not isinstance(schema, dict):
        return [_("Biểu mẫu điện tử phải là một JSON Schema dạng đối tượng.")]
    problems = []
    valid = True
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError:
        valid = False
        for error in _schema_errors(schema):
            location = "/".join(str(part) for part in error.absolute_path) or "/"
            problems.append(
                _("Biểu mẫu điện tử không phải JSON Schema hợp lệ (tại %(where)s): %(error)s")
                % {"where": location, "error": _schema_error_text(error)}
            )
    dialect = schema.get("$schema", JSON_SCHEMA_DIALECT)
    if dialect != JSON_SCHEMA_DIALECT:
        problems.append(
            _("Biểu mẫu điện tử phải theo JSON Schema draft 2020-12 ($schema là %(uri)s).")
            % {"uri": JSON_SCHEMA_DIALECT}
        )
    if schema.get("type") != "object":
        problems.append(_('Biểu mẫu điện tử phải có "type": "object".'))
    elif valid:
        # Valid JSON Schema, and only the part of it the page draws (ADR 0023).
        problems.extend(
            _("Biểu mẫu điện tử, tại %(where)s: %(problem)s") % {"where": where, "problem": problem}
            for where, problem in profile_problems(schema)
        )
    return problems


JSON_SCHEMA_TYPES = ("string", "number", "integer", "boolean", "object", "array", "null")


def _schema_error_text(error: Any) -> str:
    """Say what is wrong with the schema in Vietnamese where the e-forms' words fit (a
    mistyped ``type``, a wrong kind of value, a bound), else in jsonschema's own words,
    which name the keyword an IT officer looks up."""
    path = list(error.absolute_path)
    if path and path[-1] == "type" and isinstance(error.instance, str | list):
        typed = error.instance if isinstance(error.instance, str) else ", ".join(error.instance)
        return _("Kiểu “%(typed)s” không có trong JSON Schema; dùng một trong: %(types)s.") % {
            "typed": typed,
            "types": ", ".join(JSON_SCHEMA_TYPES),
        }
    said = message_of(error)
    return said if said != str(GENERIC) else str(error.message)


def with_property_order(schema: Any) -> Any:
    """Return ``schema`` with each object's properties numbered in their written order.

    PostgreSQL stores JSON as jsonb, which sorts object keys: without a number, an e-form
    would come back with its fields shuffled. Each property gets ``propertyOrder`` (1, 2, …,
    the convention of JSON Schema form editors) unless the object's properties already
    carry one. Nested objects and array items are numbered too. ``schema`` is not changed.
    """
    if not isinstance(schema, dict):
        return schema
    numbered = dict(schema)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        specs = {name: with_property_order(spec) for name, spec in properties.items()}
        already_ordered = any(
            isinstance(spec, dict) and "propertyOrder" in spec for spec in specs.values()
        )
        if not already_ordered:
            specs = {
                name: {**spec, "propertyOrder": position} if isinstance(spec, dict) else spec
                for position, (name, spec) in enumerate(specs.items(), start=1)
            }
        numbered["properties"] = specs
    if isinstance(schema.get("items"), dict):
        numbered["items"] = with_property_order(schema["items"])
    return numbered


def _schema_errors(schema: dict[str, Any]) -> list[Any]:
    """Return every error ``Draft202012Validator.check_schema`` would stop at the first of."""
    meta_validator_class = validator_for(
        Draft202012Validator.META_SCHEMA, default=Draft202012Validator
    )
    validator = meta_validator_class(
        Draft202012Validator.META_SCHEMA, format_checker=meta_validator_class.FORMAT_CHECKER
    )
    return sorted(validator.iter_errors(schema), key=lambda error: list(error.absolute_path))


def clean_fields(data: Any) -> tuple[list[dict[str, str]], list[Problem]]:
    """Check the ``fields`` list of a catalog: ``[{"code", "name"}]``, codes unique."""
    check = _Checker()
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Problem("fields", _("Phải là một danh sách."))]
    result = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        path = f"fields[{index}]"
        if not isinstance(item, dict):
            check.add(path, _("Phải là một đối tượng JSON."))
            continue
        check.unknown_keys(item, ("code", "name"), path)
        code = item.get("code")
        if not isinstance(code, str) or not _FIELD_CODE.fullmatch(code) or len(code) > 40:
            check.add(
                f"{path}.code",
                _("Mã lĩnh vực gồm chữ không dấu, chữ số, gạch ngang; tối đa 40 ký tự."),
            )
            continue
        name = check.text(item, "name", f"{path}.name", required=True, max_length=200)
        if code in seen:
            check.add(f"{path}.code", _("Mã lĩnh vực «%(code)s» bị lặp.") % {"code": code})
        seen.add(code)
        result.append({"code": code, "name": name})
    return result, check.problems


def referenced_agency_codes(catalog: Any) -> set[str]:
    """Return every agency code a catalog (or a list of procedures) mentions, well-formed or not."""
    procedures = catalog.get("procedures") if isinstance(catalog, dict) else catalog
    codes: set[str] = set()
    for procedure in procedures if isinstance(procedures, list) else []:
        if not isinstance(procedure, dict):
            continue
        for key in ("implementations", "steps"):
            items = procedure.get(key)
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("agency"), str):
                    codes.add(item["agency"])
    return codes


def _office_documents(accepted: bool) -> dict[str, bool]:
    """Return the ``accepts_office_documents`` key of the canonical form.

    The key is written only when true: a procedure without it (every one written before the
    key existed) means false, and keeps the digest it had, so re-importing an unchanged
    catalog makes no new version.
    """
    return {"accepts_office_documents": True} if accepted else {}


def procedure_to_dict(procedure: Procedure) -> dict[str, Any]:
    """Return a stored procedure version in its canonical interchange form.

    Expects the field, components, fees, steps and implementations with their agencies
    to be loaded already (see ``sen.catalog.selectors.procedures_with_parts``).
    """
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.code,
        "online_level": procedure.online_level,
        "processing_days": decimal_text(procedure.processing_days),
        "implementations": [
            {"level": item.level, "agency": item.agency.code if item.agency else None}
            for item in procedure.implementations.all()
        ],
        "description": procedure.description,
        "applicants": procedure.applicants,
        "conditions": procedure.conditions,
        "legal_basis": list(procedure.legal_basis),
        "results": list(procedure.results),
        "components": [
            {
                "name": item.name,
                "originals": item.originals,
                "copies": item.copies,
                "required": item.required,
                "note": item.note,
            }
            for item in procedure.components.all()
        ],
        **_office_documents(procedure.accepts_office_documents),
        "fees": [
            {"kind": item.kind, "amount": item.amount, "description": item.description}
            for item in procedure.fees.all()
        ],
        "steps": [
            {
                "name": item.name,
                "role": item.role,
                "agency": item.agency.code if item.agency else None,
                "duration": decimal_text(item.duration),
                "unit": item.unit,
            }
            for item in procedure.steps.all()
        ],
        "form_schema": procedure.form_schema,
    }
