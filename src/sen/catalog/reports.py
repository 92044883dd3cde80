"""What an import of the catalog did: one row per procedure, or every problem found.

The report is all a person needs to fix a file: each problem names the procedure (its
position in the file and its code), the path of the value at fault and, for a workbook,
the sheet, row and column.
"""

import dataclasses
import enum
from typing import Any

from django.utils.translation import gettext as _


class Outcome(enum.StrEnum):
    """What an import did with one procedure."""

    CREATED = "created"
    NEW_VERSION = "new_version"
    UNCHANGED = "unchanged"


@dataclasses.dataclass(frozen=True)
class ImportProblem:
    """One problem of an import, located in the file.

    ``index`` is the procedure's position in ``procedures`` (from 0) and ``field`` the
    path inside it; an Excel import adds the ``sheet``, ``row`` (as Excel numbers it) and
    ``column`` where the value was read.
    """

    message: str
    field: str = ""
    index: int | None = None
    code: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in dataclasses.asdict(self).items() if value != ""}

    def __str__(self) -> str:
        where: list[str] = []
        if self.sheet:
            where.append(_("sheet «%(sheet)s»") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(_("dòng %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("cột «%(column)s»") % {"column": self.column})
        if not self.sheet and self.index is not None:
            where.append(f"procedures[{self.index}]")
        if self.code:
            where.append(_("thủ tục %(code)s") % {"code": self.code})
        if self.field and not self.column:
            where.append(self.field)
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclasses.dataclass(frozen=True)
class ImportRow:
    """What an import did with one procedure: the version now current."""

    index: int
    code: str
    outcome: Outcome
    version: int


@dataclasses.dataclass
class ImportReport:
    """The result of an import: either problems (and nothing written) or one row per procedure."""

    problems: list[ImportProblem] = dataclasses.field(default_factory=list)
    rows: list[ImportRow] = dataclasses.field(default_factory=list)
    fields_created: int = 0
    fields_renamed: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def _count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def created(self) -> int:
        return self._count(Outcome.CREATED)

    @property
    def new_versions(self) -> int:
        return self._count(Outcome.NEW_VERSION)

    @property
    def unchanged(self) -> int:
        return self._count(Outcome.UNCHANGED)

    def summary(self) -> str:
        """Return one Vietnamese sentence saying what happened."""
        if not self.ok:
            return _("Không nhập gì: có %(count)d lỗi.") % {"count": len(self.problems)}
        return _(
            "Đã nhập %(total)d thủ tục: %(created)d mới, %(new_versions)d phiên bản mới, "
            "%(unchanged)d không đổi; lĩnh vực: %(fields_created)d mới, "
            "%(fields_renamed)d đổi tên."
        ) % {
            "total": len(self.rows),
            "created": self.created,
            "new_versions": self.new_versions,
            "unchanged": self.unchanged,
            "fields_created": self.fields_created,
            "fields_renamed": self.fields_renamed,
        }

    def lines(self) -> list[str]:
        """Return the summary followed by one line per problem or per procedure."""
        if not self.ok:
            return [self.summary(), *(str(problem) for problem in self.problems)]
        labels = {
            Outcome.CREATED: _("mới"),
            Outcome.NEW_VERSION: _("phiên bản mới"),
            Outcome.UNCHANGED: _("không đổi"),
        }
        rows = [
            _("%(code)s: %(outcome)s (phiên bản %(version)d)")
            % {"code": row.code, "outcome": labels[row.outcome], "version": row.version}
            for row in self.rows
        ]
        return [self.summary(), *rows]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "created": self.created,
            "new_versions": self.new_versions,
            "unchanged": self.unchanged,
            "fields_created": self.fields_created,
            "fields_renamed": self.fields_renamed,
            "rows": [dataclasses.asdict(row) for row in self.rows],
            "problems": [problem.as_dict() for problem in self.problems],
        }
