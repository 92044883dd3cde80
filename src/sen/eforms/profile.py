"""Sen's e-form profile: the part of JSON Schema that the page draws and the server checks
the same way (ADR 0023).

A schema may be valid JSON Schema and still hold parts the page (``sen.eforms.fields``)
never draws: a required one makes the page impossible to send, while the API takes the
same data. The catalog refuses them (``profile_problems``), naming where each one is.

- The form is an ``object`` with ``properties``; ``required`` names only listed properties;
  ``additionalProperties`` may only be ``false``.
- Each property has one ``type``: ``string`` (``maxLength``, ``minLength``, ``pattern``,
  ``format`` ``date`` or ``email``, ``x-not-after-today``), ``integer`` or ``number``
  (``minimum``, ``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``, ``multipleOf``),
  ``boolean``, ``object`` (drawn as a group) or ``array`` of ``string`` items (one a line,
  ``minItems``, ``maxItems``; the items may have ``minLength``, ``maxLength``, ``pattern``).
- ``enum`` goes with ``string``, ``integer`` or ``number``, every value of that type.
- Everywhere: ``title``, ``description``, ``default``, ``propertyOrder``, ``$comment``.
- A ``pattern`` must mean the same to Python's ``re`` (the server) and to the browser (the
  HTML ``pattern`` attribute, an ECMAScript expression with the ``v`` flag): no named
  groups, lookbehind, inline flags, possessive quantifiers, ``\\A`` or ``\\Z``, and the
  characters ECMAScript wants escaped are escaped.

Anything else (``$ref``, ``$defs``, ``oneOf``, ``anyOf``, ``allOf``, ``if``, ``const``, a
list of types, arrays of objects, other formats) is refused.
"""

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _

ANNOTATIONS = frozenset({"type", "title", "description", "default", "propertyOrder", "$comment"})
STRING_KEYWORDS = frozenset(
    {"maxLength", "minLength", "pattern", "format", "enum", "x-not-after-today"}
)
NUMBER_KEYWORDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum"}
)
KEYWORDS: dict[str, frozenset[str]] = {
    "object": frozenset({"properties", "required", "additionalProperties"}),
    "string": STRING_KEYWORDS,
    "integer": NUMBER_KEYWORDS,
    "number": NUMBER_KEYWORDS,
    "boolean": frozenset(),
    "array": frozenset({"items", "minItems", "maxItems"}),
}
ITEM_KEYWORDS = frozenset({"type", "title", "description", "maxLength", "minLength", "pattern"})
FORMATS = ("date", "email")

# Escapes of a letter or digit that mean the same in Python and ECMAScript.
_LETTER_ESCAPES = frozenset("dDwWsSbBnrtfvxu0123456789")
# Characters ECMAScript takes escaped outside a class, and more inside one (``v`` flag).
_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
_CLASS_PUNCTUATORS = frozenset("&-!#%,:;<=>@`~")
_CLASS_SYNTAX = frozenset("(){}/|[")
_DOUBLE_PUNCTUATORS = frozenset("&!#$%*+,.:;<=>?@^`~")
_QUANTIFIER = re.compile(r"\{\d+(?:,\d*)?\}")


def profile_problems(schema: Any) -> list[tuple[str, str]]:
    """Return ``(path, problem)`` for each part of the e-form ``schema`` outside the profile.

    ``schema`` is a valid JSON Schema with ``"type": "object"``; the path is written with
    points (``properties.thanh_vien.items``).
    """
    return list(_object_problems(schema, (), root=True))


def _where(path: tuple[str, ...]) -> str:
    return ".".join(path) or "/"


def _unknown(
    spec: Mapping[str, Any], allowed: frozenset[str], path: tuple[str, ...]
) -> Iterator[tuple[str, str]]:
    for keyword in spec:
        if keyword not in allowed:
            yield (
                _where((*path, keyword)),
                _("từ khóa “%(keyword)s” chưa được hỗ trợ (trang nộp hồ sơ không vẽ được)")
                % {"keyword": keyword},
            )


def _object_problems(
    spec: Mapping[str, Any], path: tuple[str, ...], *, root: bool = False
) -> Iterator[tuple[str, str]]:
    allowed = ANNOTATIONS | KEYWORDS["object"] | ({"$schema"} if root else set())
    yield from _unknown(spec, allowed, path)
    if spec.get("additionalProperties", False) is not False:
        yield (
            _where((*path, "additionalProperties")),
            _("chỉ được là false: trang chỉ vẽ các trường có trong properties"),
        )
    properties = spec.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    for name in spec.get("required", []):
        if name not in properties:
            yield (
                _where((*path, "required")),
                _("“%(name)s” bắt buộc nhưng không có trong properties") % {"name": name},
            )
    for name, child in properties.items():
        yield from _property_problems(child, (*path, "properties", str(name)))


def _property_problems(spec: Any, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if not isinstance(spec, Mapping):
        yield _where(path), _("mỗi trường phải là một đối tượng có “type”")
        return
    kind = spec.get("type")
    if kind is None:
        yield from _unknown(spec, ANNOTATIONS.union(*KEYWORDS.values()), path)
        if "enum" in spec:
            yield (
                _where((*path, "enum")),
                _("danh sách chọn cần “type” bên cạnh: string, integer hoặc number"),
            )
        else:
            yield _where(path), _("thiếu “type”")
        return
    if not isinstance(kind, str) or kind not in KEYWORDS:
        yield (
            _where((*path, "type")),
            _("phải là đúng một trong: %(types)s") % {"types": ", ".join(KEYWORDS)},
        )
        return
    if kind == "object":
        yield from _object_problems(spec, path)
        return
    yield from _unknown(spec, ANNOTATIONS | KEYWORDS[kind], path)
    if kind == "array":
        yield from _items_problems(spec.get("items"), (*path, "items"))
        return
    text_format = spec.get("format")
    if text_format is not None and text_format not in FORMATS:
        yield (
            _where((*path, "format")),
            _("định dạng “%(format)s” chưa được hỗ trợ; dùng một trong: %(formats)s")
            % {"format": text_format, "formats": ", ".join(FORMATS)},
        )
    if "enum" in spec:
        yield from _enum_problems(spec["enum"], kind, (*path, "enum"))
    if isinstance(spec.get("pattern"), str):
        yield from _pattern_problems(spec["pattern"], (*path, "pattern"))


def _items_problems(items: Any, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    kind = items.get("type") if isinstance(items, Mapping) else None
    if kind == "object" or (isinstance(items, Mapping) and "properties" in items):
        yield _where(path), _("mảng các đối tượng chưa được hỗ trợ")
        return
    if kind != "string":
        yield _where(path), _("chỉ hỗ trợ mảng các chuỗi (“items”: {“type”: “string”})")
        return
    yield from _unknown(items, ITEM_KEYWORDS, path)
    if isinstance(items.get("pattern"), str):
        yield from _pattern_problems(items["pattern"], (*path, "pattern"))


def _of_type(value: Any, kind: str) -> bool:
    if isinstance(value, bool):
        return False
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int)  # 2.0 would be offered as "2.0", which no int reads
    return isinstance(value, int | float)


def _enum_problems(values: Any, kind: str, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if not values:
        yield _where(path), _("danh sách chọn trống: không giá trị nào được nhận")
        return
    wrong = [value for value in values if not _of_type(value, kind)]
    if wrong:
        yield (
            _where(path),
            _("mọi giá trị phải có kiểu “%(type)s” của trường, không như %(value)s")
            % {"type": kind, "value": _json(wrong[0])},
        )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _pattern_problems(pattern: str, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    try:
        re.compile(pattern)
    except re.error as error:
        yield _where(path), _("mẫu không hợp lệ: %(error)s") % {"error": error}
        return
    if problem := pattern_problem(pattern):
        yield (
            _where(path),
            _("mẫu dùng cú pháp trình duyệt không hiểu như máy chủ: %(problem)s")
            % {"problem": problem},
        )


def pattern_problem(pattern: str) -> str:
    """Return what in ``pattern`` Python's ``re`` and the browser read differently, or "".

    A simple scan, not a parser: it knows the syntax a form's pattern uses (classes,
    groups, quantifiers, escapes) and refuses what only one of the two understands.
    """
    index, length = 0, len(pattern)
    in_class = False
    body_start = 0
    last_single = False  # inside a class: the last item was one character (a range may start)
    while index < length:
        char = pattern[index]
        following = pattern[index + 1] if index + 1 < length else ""
        if char == "\\":
            if following.isalnum():
                if following not in _LETTER_ESCAPES:
                    return _("“\\%(char)s” (chỉ Python hiểu)") % {"char": following}
                last_single = following not in "dDwWsS"
            else:
                allowed = _SYNTAX | _CLASS_PUNCTUATORS if in_class else _SYNTAX
                if following not in allowed:
                    return _("“\\%(char)s” (viết “%(char)s” không có dấu \\)") % {"char": following}
                last_single = True
            index += 2
            continue
        if in_class:
            if char == "]" and index > body_start:
                in_class = False
            elif char == "-":
                if index == body_start or following == "]" or not last_single:
                    return _("dấu “-” trong […] không tạo khoảng (viết “\\-”)")
                # The range's end is one character; after it no range continues.
                index += 3 if following == "\\" else 2
                last_single = False
                continue
            elif char in _CLASS_SYNTAX or char == "]":
                return _("“%(char)s” trong […] (viết “\\%(char)s”)") % {"char": char}
            elif char in _DOUBLE_PUNCTUATORS and following == char:
                return _("“%(chars)s” trong […] (viết “\\%(char)s”)") % {
                    "chars": char * 2,
                    "char": char,
                }
            else:
                last_single = True
            index += 1
            continue
        if char == "[":
            in_class = True
            index += 2 if following == "^" else 1
            body_start = index
            last_single = False
            continue
        if char == "(" and following == "?":
            rest = pattern[index + 2 : index + 4]
            if rest.startswith("P"):
                return _("nhóm có tên “(?P…” (chỉ Python hiểu)")
            if rest in ("<=", "<!"):
                return _("nhìn ngược “(?<=”, “(?<!” (trình duyệt cũ không hiểu)")
            if not rest or rest[0] not in ":=!":
                return _("“(?%(rest)s” (cờ hay nhóm chỉ Python hiểu)") % {"rest": rest[:1]}
        elif char == "{":
            quantifier = _QUANTIFIER.match(pattern, index)
            if quantifier is None:
                return _("“{” không phải số lần lặp (viết “\\{”)")
            index = quantifier.end()
            if index < length and pattern[index] == "+":
                return _("lặp chiếm hữu “}+” (chỉ Python hiểu)")
            continue
        elif char in "}]":
            return _("“%(char)s” đứng một mình (viết “\\%(char)s”)") % {"char": char}
        elif char in "*+?" and following == "+":
            return _("lặp chiếm hữu “%(chars)s” (chỉ Python hiểu)") % {"chars": char + "+"}
        index += 1
    return ""
