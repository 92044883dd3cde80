"""Build ``legacy_units_2024.csv.gz``: Viet Nam's administrative units before 1 July 2025.

Where the data comes from
    The release ``vietnam-provinces==0.6.0`` (January 2025) by Nguyễn Hồng Quân
    (https://github.com/sunshine-tech/VietnamProvinces), which packages the list of the
    General Statistics Office (Tổng cục Thống kê): 63 provinces, 696 districts and
    10,051 communes, wards and townships. Its file ``vietnam_provinces/data/
    nested-divisions.json`` nests provinces → districts → wards with ``code``, ``name``
    and ``division_type``. Sen depends on the 2025 release of the same package for the
    current units; the two releases cannot be installed side by side, hence this file.

Licence
    The package and its data are GPL-3.0. The derived file keeps that licence; GPL-3.0
    material may be combined with Sen, which is AGPL-3.0-or-later (GPL-3.0 section 13 and
    AGPL-3.0 section 13 allow the combination).

What the script changes
    The 0.6.0 data labels every unit with its level's generic type (``tỉnh``, ``huyện``,
    ``xã``), so the type is derived from the name's prefix instead (``Phường Phúc Xá`` →
    ``phường``, ``Quận Ba Đình`` → ``quận``, ``Thành phố Hà Nội`` → ``thành phố trung
    ương``). Runs of spaces are collapsed and the two district names written ``Thành Phố``
    are given the usual capitalisation. Codes are zero-padded as the GSO writes them:
    province 2 digits, district 3, commune 5.

How to rebuild
    ::

        python -m pip download --no-deps -d /tmp/vp06 vietnam-provinces==0.6.0
        cd /tmp/vp06 && python -m zipfile -e vietnam_provinces-0.6.0-py3-none-any.whl x
        python src/sen/core/data/build_legacy_units.py \\
            /tmp/vp06/x/vietnam_provinces/data/nested-divisions.json

    The output is deterministic (sorted rows, gzip without a timestamp), so rebuilding
    from the same input gives the same bytes. The wheel used for the committed file has
    SHA-256 ``4b5772870efdcb7c58a64fbdc0e0c9ce497e67017a0c189dff99582ddadb7815``.

Columns: ``level`` (province, district, commune), ``code``, ``name``, ``division_type``,
``parent_code`` (empty for provinces; the province for a district, the district for a
commune).
"""

import csv
import gzip
import io
import json
import sys
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parent / "legacy_units_2024.csv.gz"
COLUMNS = ["level", "code", "name", "division_type", "parent_code"]

# Longest prefix first: "Thành phố" before a shorter match, "Thị trấn" before "Thị xã".
_PREFIXES = {
    "province": [("Thành phố", "thành phố trung ương"), ("Tỉnh", "tỉnh")],
    "district": [
        ("Thành phố", "thành phố"),
        ("Thị xã", "thị xã"),
        ("Quận", "quận"),
        ("Huyện", "huyện"),
    ],
    "commune": [("Thị trấn", "thị trấn"), ("Phường", "phường"), ("Xã", "xã")],
}


def clean_name(name: str) -> str:
    """Return ``name`` with single spaces and the usual capitalisation of "Thành phố"."""
    name = " ".join(name.split())
    if name.startswith("Thành Phố "):
        name = "Thành phố " + name[len("Thành Phố ") :]
    return name


def division_type(level: str, name: str) -> str:
    """Return the unit's type from the prefix of its (cleaned) name."""
    for prefix, kind in _PREFIXES[level]:
        if name.startswith(prefix + " "):
            return kind
    raise ValueError(f"No known {level} prefix in {name!r}")


def rows(nested: list[dict[str, Any]]) -> list[list[str]]:
    """Flatten the nested provinces → districts → wards into CSV rows, sorted."""
    out: list[list[str]] = []
    for province in nested:
        p_code = f"{province['code']:02d}"
        p_name = clean_name(province["name"])
        out.append(["province", p_code, p_name, division_type("province", p_name), ""])
        for district in province["districts"]:
            d_code = f"{district['code']:03d}"
            d_name = clean_name(district["name"])
            out.append(["district", d_code, d_name, division_type("district", d_name), p_code])
            for ward in district["wards"]:
                w_name = clean_name(ward["name"])
                w_code = f"{ward['code']:05d}"
                out.append(["commune", w_code, w_name, division_type("commune", w_name), d_code])
    order = {"province": 0, "district": 1, "commune": 2}
    out.sort(key=lambda row: (order[row[0]], row[1]))
    return out


def build(source: Path, output: Path = OUTPUT) -> int:
    """Write the gzip CSV from the 0.6.0 ``nested-divisions.json``; return the row count."""
    nested = json.loads(source.read_text(encoding="utf-8"))
    table = rows(nested)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(table)
    # mtime=0 and no file name in the header: the same input gives the same bytes.
    with (
        open(output, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(text.getvalue().encode("utf-8"))
    return len(table)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} path/to/0.6.0/nested-divisions.json")
    count = build(Path(sys.argv[1]))
    print(f"Wrote {count} units to {OUTPUT} ({OUTPUT.stat().st_size} bytes).")
