"""Indicator values: reading what a reporter typed, and totalling them (pure, no database).

Values are stored as decimals with up to ``DECIMAL_PLACES`` places. People type them the
Vietnamese way ("1.234,5") or the computer way ("1234.5"); both are read. The one text that
reads differently each way, a single dot before three digits ("7.600"), is refused with a
question for decimal indicators and read as thousands for whole-number ones.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DECIMAL_PLACES = 4
MAX_DIGITS = 20
# SQLite keeps a decimal as a 64-bit float, exact to 15 significant digits: a value with
# more came back rounded, or, past 2**53, could no longer be read at all.
SIGNIFICANT_DIGITS = 15
_LIMIT = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES)
_AMBIGUOUS = re.compile(r"^-?[0-9]{1,3}\.[0-9]{3}$")


class ValueType(models.TextChoices):
    INTEGER = "integer", gettext_lazy("Số nguyên")
    DECIMAL = "decimal", gettext_lazy("Số thập phân")


class Aggregation(models.TextChoices):
    SUM = "sum", gettext_lazy("Cộng")
    AVERAGE = "average", gettext_lazy("Bình quân")


@dataclass(frozen=True)
class IndicatorRule:
    """What a value of one indicator must be: of its type, not negative unless allowed, and
    at most ``max_value`` when it has one (named with ``unit`` when refused)."""

    code: str
    name: str
    value_type: str
    allow_negative: bool = False
    max_value: Decimal | None = None
    unit: str = ""


@dataclass(frozen=True)
class ValueProblem:
    """One indicator's value is wrong: which indicator, and why in Vietnamese."""

    code: str
    message: str

    def as_detail(self) -> dict[str, str]:
        return {"field": f"values.{self.code}", "message": self.message}


def _normalise(text: str) -> str:
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        # Whichever separator comes last is the decimal one: "1.234,5" and "1,234.5".
        if text.rfind(",") > text.rfind("."):
            return text.replace(".", "").replace(",", ".")
        return text.replace(",", "")
    for separator in ",.":
        if text.count(separator) > 1:  # "1.234.567": only thousands are grouped twice
            return text.replace(separator, "")
    # One separator is a decimal one: "12,5" as written in Vietnamese, "12.5" by computers.
    return text.replace(",", ".")


def parse_value(raw: Any, rule: IndicatorRule) -> Decimal | ValueProblem | None:
    """Return the value ``raw`` stands for, ``None`` when empty, or the problem with it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raw = "x"  # true/false is not a number, although Python says it is
    if isinstance(raw, str) and _AMBIGUOUS.match(raw.strip()):
        # "7.600" is 7600 to a Vietnamese reader and 7.6 to a computer: ask rather than guess,
        # unless only a whole number makes sense.
        if rule.value_type == ValueType.INTEGER:
            raw = raw.replace(".", "")
        else:
            whole = raw.strip().replace(".", "")
            decimal = raw.strip().replace(".", ",")
            message = _(
                "%(name)s: “%(raw)s” có thể hiểu hai cách; hãy viết %(whole)s hoặc %(decimal)s."
            )
            return ValueProblem(
                rule.code,
                message
                % {"name": rule.name, "raw": raw.strip(), "whole": whole, "decimal": decimal},
            )
    try:
        number = Decimal(_normalise(raw)) if isinstance(raw, str) else Decimal(str(raw))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        message = _("%(name)s: hãy nhập một số.") % {"name": rule.name}
        return ValueProblem(rule.code, message)
    if rule.value_type == ValueType.INTEGER and number != number.to_integral_value():
        message = _("%(name)s: hãy nhập một số nguyên.") % {"name": rule.name}
        return ValueProblem(rule.code, message)
    if abs(number) >= _LIMIT:
        message = _("%(name)s: số quá lớn.") % {"name": rule.name}
        return ValueProblem(rule.code, message)
    written = number.normalize().as_tuple()
    if len(written.digits) > SIGNIFICANT_DIGITS:
        message = _("%(name)s: tối đa %(digits)d chữ số (không kể số 0 ở cuối).")
        return ValueProblem(rule.code, message % {"name": rule.name, "digits": SIGNIFICANT_DIGITS})
    if -int(written.exponent) > DECIMAL_PLACES:
        message = _("%(name)s: tối đa %(places)d chữ số sau dấu phẩy.")
        return ValueProblem(rule.code, message % {"name": rule.name, "places": DECIMAL_PLACES})
    if number < 0 and not rule.allow_negative:
        message = _("%(name)s: không được là số âm.") % {"name": rule.name}
        return ValueProblem(rule.code, message)
    if rule.max_value is not None and number > rule.max_value:
        bound = f"{format_value(rule.max_value)} {rule.unit}".strip()
        message = _("%(name)s: không được lớn hơn %(max)s.") % {"name": rule.name, "max": bound}
        return ValueProblem(rule.code, message)
    return number.quantize(Decimal(1)) if rule.value_type == ValueType.INTEGER else number


@dataclass
class ParsedValues:
    """What ``parse_values`` read: values by indicator code, and every problem met."""

    values: dict[str, Decimal | None]
    problems: list[ValueProblem]


def parse_values(
    raw: Mapping[str, Any], rules: Iterable[IndicatorRule], *, complete: bool
) -> ParsedValues:
    """Read a report's values; with ``complete`` (submission) every indicator needs one.

    Codes that are not indicators of the form are problems too, so that a typo in an API
    client's payload does not silently drop a value.
    """
    rules = list(rules)
    known = {rule.code for rule in rules}
    values: dict[str, Decimal | None] = {}
    problems: list[ValueProblem] = []
    for rule in rules:
        parsed = parse_value(raw.get(rule.code), rule)
        if isinstance(parsed, ValueProblem):
            problems.append(parsed)
            continue
        if parsed is None and complete:
            message = _("%(name)s: cần nhập giá trị trước khi nộp báo cáo.")
            problems.append(ValueProblem(rule.code, message % {"name": rule.name}))
        values[rule.code] = parsed
    for code in sorted(set(raw) - known):
        message = _("Biểu mẫu không có chỉ tiêu mã %(code)s.") % {"code": code}
        problems.append(ValueProblem(code, message))
    return ParsedValues(values=values, problems=problems)


def aggregate(values: Iterable[Decimal | None], aggregation: str) -> Decimal | None:
    """Return the total (``sum``) or mean (``average``) of the values given; ``None`` if none.

    A mean is rounded to ``DECIMAL_PLACES`` places, half up as statisticians do.
    """
    present = [value for value in values if value is not None]
    if not present:
        return None
    total = sum(present, Decimal(0))
    if aggregation == Aggregation.AVERAGE:
        quantum = Decimal(1).scaleb(-DECIMAL_PLACES)
        return (total / len(present)).quantize(quantum, rounding=ROUND_HALF_UP)
    return total


def plain_decimal(value: Decimal | None) -> str | None:
    """Write a value for machines (API, CSV, audit): no exponent, grouping or trailing
    zeros, a decimal point: "1234.5"; ``None`` for none."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_input(value: Decimal | None) -> str:
    """Write a value for an input box, without grouping so it cannot be misread: "1234,5"."""
    return (plain_decimal(value) or "").replace(".", ",")


def format_value(value: Decimal | None) -> str:
    """Show a value the Vietnamese way: "1.234,5"; "" for none."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    text = format(abs(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _dot, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"
