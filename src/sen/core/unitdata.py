"""Viet Nam's administrative units as data: reading the sources and deriving successors.

Plain functions without database access; ``sen.core.services.units_load`` writes their
result. Two sources:

- current units (since 1 July 2025: 34 provinces, 3,321 communes, wards and special zones)
  from the installed ``vietnam-provinces`` package;
- legacy units (63 provinces, 696 districts, 10,051 communes) from the committed
  ``data/legacy_units_2024.csv.gz`` (see ``data/build_legacy_units.py`` for its origin).

How successors are derived. When the communes were merged, the General Statistics Office
gave each new commune the code of one of the former communes merged into it (3,310 of the
3,321 new codes are former codes). So a former commune whose code is a current commune's
code has that commune as successor. The successor province of a former province is the
current province holding the successors of its communes (a majority vote, which must be
unambiguous; with the 2025 data every vote is unanimous). The public data does not say
which new commune received each of the other former communes, nor the former districts, so
their successor is the current province of their former province, a coarser but true
answer. A province that has the official table can complete the mapping with a CSV of
(former commune code, current commune code) pairs: ``sen load_units --successor-map``.
"""

import csv
import gzip
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from sen.core.errors import UnitDataError, UnitNotFound

LEGACY_UNITS_PATH = Path(__file__).resolve().parent / "data" / "legacy_units_2024.csv.gz"

PROVINCE, DISTRICT, COMMUNE = "province", "district", "commune"
LEVELS = (PROVINCE, DISTRICT, COMMUNE)
CODE_WIDTH = {PROVINCE: 2, DISTRICT: 3, COMMUNE: 5}

# (level, code, is_legacy): codes repeat across levels and between the two eras.
UnitKey = tuple[str, str, bool]


@dataclass(frozen=True)
class UnitRow:
    """One administrative unit as the sources describe it."""

    level: str
    code: str
    name: str
    division_type: str
    parent_code: str  # empty for provinces
    is_legacy: bool

    @property
    def key(self) -> UnitKey:
        return (self.level, self.code, self.is_legacy)

    @property
    def parent_key(self) -> UnitKey | None:
        """Return the key of the parent: province for a current commune or legacy district,
        district for a legacy commune."""
        if not self.parent_code:
            return None
        parent_level = DISTRICT if (self.is_legacy and self.level == COMMUNE) else PROVINCE
        return (parent_level, self.parent_code, self.is_legacy)


@dataclass(frozen=True)
class UnitData:
    """Current and legacy units with the successors of each legacy unit."""

    current: tuple[UnitRow, ...]
    legacy: tuple[UnitRow, ...]
    successors: dict[UnitKey, frozenset[UnitKey]]
    province_successor: dict[str, str]  # legacy province code → current province code
    warnings: tuple[str, ...] = field(default=())

    @property
    def rows(self) -> tuple[UnitRow, ...]:
        return self.current + self.legacy


def _clean(name: str) -> str:
    return " ".join(name.split())


def pad_code(code: str | int, level: str) -> str:
    """Return a GSO code zero-padded for its level ("1" → "01" for a province)."""
    text = str(code).strip()
    if not text.isdigit() or len(text) > CODE_WIDTH[level]:
        raise UnitDataError(_("Mã đơn vị hành chính không hợp lệ: %(code)s.") % {"code": code})
    return text.zfill(CODE_WIDTH[level])


@cache
def read_current_units() -> tuple[UnitRow, ...]:
    """Return the current provinces and communes from the installed ``vietnam-provinces``."""
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    nested = json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    rows: list[UnitRow] = []
    for province in nested:
        p_code = pad_code(province["code"], PROVINCE)
        rows.append(
            UnitRow(
                PROVINCE, p_code, _clean(province["name"]), province["division_type"], "", False
            )
        )
        for ward in province["wards"]:
            rows.append(
                UnitRow(
                    COMMUNE,
                    pad_code(ward["code"], COMMUNE),
                    _clean(ward["name"]),
                    ward["division_type"],
                    p_code,
                    False,
                )
            )
    return tuple(rows)


@cache
def read_legacy_units(path: Path = LEGACY_UNITS_PATH) -> tuple[UnitRow, ...]:
    """Return the provinces, districts and communes in force until 30 June 2025."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return tuple(
            UnitRow(
                row["level"],
                row["code"],
                row["name"],
                row["division_type"],
                row["parent_code"],
                True,
            )
            for row in csv.DictReader(handle)
        )


def read_successor_map(text: str) -> list[tuple[str, str]]:
    """Parse a CSV of (former commune code, current commune code) pairs.

    A header line, blank lines and lines starting with ``#`` are skipped; codes may be
    written without their leading zeros.
    """
    pairs: list[tuple[str, str]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
            continue
        if number == 1 and not row[0].strip().isdigit():
            continue  # header
        if len(row) < 2:
            message = _("Dòng %(line)d của bảng kế thừa cần hai mã.") % {"line": number}
            raise UnitDataError(message)
        pairs.append((pad_code(row[0], COMMUNE), pad_code(row[1], COMMUNE)))
    return pairs


def derive_successors(
    current: Iterable[UnitRow],
    legacy: Iterable[UnitRow],
    extra_pairs: Iterable[tuple[str, str]] = (),
) -> tuple[dict[UnitKey, frozenset[UnitKey]], dict[str, str], list[str]]:
    """Return (successors of each legacy unit, legacy → current province codes, warnings).

    ``extra_pairs`` are (former commune code, current commune code) pairs from an official
    table; they add to the same-code successor. Raise ``UnitDataError`` when a pair names
    an unknown commune or a former province's successor is ambiguous.
    """
    current_commune_province = {
        row.code: row.parent_code for row in current if row.level == COMMUNE
    }
    legacy = list(legacy)
    district_province = {row.code: row.parent_code for row in legacy if row.level == DISTRICT}
    legacy_communes = {row.code: row for row in legacy if row.level == COMMUNE}

    commune_targets: dict[str, set[str]] = defaultdict(set)
    for row in legacy_communes.values():
        if row.code in current_commune_province:
            commune_targets[row.code].add(row.code)
    for old, new in extra_pairs:
        if old not in legacy_communes:
            raise UnitDataError(_("Không có xã cũ mã %(code)s.") % {"code": old})
        if new not in current_commune_province:
            raise UnitDataError(_("Không có xã hiện hành mã %(code)s.") % {"code": new})
        commune_targets[old].add(new)

    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for old, targets in commune_targets.items():
        old_province = district_province[legacy_communes[old].parent_code]
        for new in targets:
            votes[old_province][current_commune_province[new]] += 1

    province_successor: dict[str, str] = {}
    warnings: list[str] = []
    for row in legacy:
        if row.level != PROVINCE:
            continue
        tally = votes.get(row.code)
        if not tally:
            message = _("Không xác định được tỉnh kế thừa của %(name)s (%(code)s).")
            raise UnitDataError(message % {"name": row.name, "code": row.code})
        (winner, count), *others = tally.most_common()
        total = sum(tally.values())
        if count * 2 <= total:
            message = _("Tỉnh kế thừa của %(name)s (%(code)s) không rõ ràng: %(votes)s.")
            raise UnitDataError(
                message % {"name": row.name, "code": row.code, "votes": dict(tally)}
            )
        if others:
            warnings.append(
                f"{row.code}: {total - count} of {total} communes moved outside province {winner}"
            )
        province_successor[row.code] = winner

    successors: dict[UnitKey, frozenset[UnitKey]] = {}
    for row in legacy:
        if row.level == PROVINCE:
            province = province_successor[row.code]
        elif row.level == DISTRICT:
            province = province_successor[row.parent_code]
        else:
            province = province_successor[district_province[row.parent_code]]
        targets = commune_targets.get(row.code, set()) if row.level == COMMUNE else set()
        if targets:
            successors[row.key] = frozenset((COMMUNE, code, False) for code in targets)
        else:
            successors[row.key] = frozenset({(PROVINCE, province, False)})
    return successors, province_successor, warnings


@lru_cache(maxsize=4)
def _derived(
    extra_pairs: tuple[tuple[str, str], ...],
) -> tuple[dict[UnitKey, frozenset[UnitKey]], dict[str, str], list[str]]:
    # Callers get the cached dicts: unit_data copies what it hands out.
    return derive_successors(read_current_units(), read_legacy_units(), extra_pairs)


def unit_data(
    *,
    province_codes: Iterable[str] | None = None,
    extra_pairs: Iterable[tuple[str, str]] = (),
) -> UnitData:
    """Return the units to load, all of them or those of some current provinces.

    With ``province_codes`` (current province codes), keep those provinces and their
    communes, and the legacy provinces they absorbed with their districts and communes.
    Successors are always derived from the whole country, so a slice gets the same
    answers as a full load.
    """
    current = read_current_units()
    legacy = read_legacy_units()
    successors, province_successor, warnings = _derived(tuple(extra_pairs))
    if province_codes is None:
        return UnitData(
            current, legacy, dict(successors), dict(province_successor), tuple(warnings)
        )

    wanted = {pad_code(code, PROVINCE) for code in province_codes}
    known = {row.code for row in current if row.level == PROVINCE}
    unknown = sorted(wanted - known)
    if unknown:
        message = _("Không có tỉnh hiện hành mã %(code)s.")
        raise UnitNotFound(message % {"code": ", ".join(unknown)})
    legacy_provinces = {old for old, new in province_successor.items() if new in wanted}
    legacy_districts = {
        row.code for row in legacy if row.level == DISTRICT and row.parent_code in legacy_provinces
    }
    current_slice = tuple(
        row for row in current if (row.code if row.level == PROVINCE else row.parent_code) in wanted
    )
    legacy_slice = tuple(
        row
        for row in legacy
        if (row.level == PROVINCE and row.code in legacy_provinces)
        or (row.level == DISTRICT and row.code in legacy_districts)
        or (row.level == COMMUNE and row.parent_code in legacy_districts)
    )
    keys = {row.key for row in legacy_slice}
    return UnitData(
        current_slice,
        legacy_slice,
        {key: value for key, value in successors.items() if key in keys},
        {old: new for old, new in province_successor.items() if old in legacy_provinces},
        tuple(warnings),
    )
