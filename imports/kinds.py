"""An import kind: one object that says everything the engine needs of a kind of data.

Its columns (CONTRACT "Excel imports": the header, in order) with what the template's instructions
say of each, how a cell is read, whether the template formats it as text (codes keep their leading
zeros) and offers a dropdown; who may import it; how a file's rows become a plan, how a plan is
written, and which rows the template comes pre-filled with. A kind lives beside the services of
its domain app and is named once in imports/catalog.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from accounts.roles import Can
from core.messages import message_of
from imports.plan import ImportPlan
from imports.reader import CellError, Sheet, read_sheet

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Column:
    name: str  # the CONTRACT header
    help: Any  # the instructions sheet's text (lazily translated)
    parse: Callable[[Any], Any]  # a cell's value, or CellError with the reason
    text: bool = False  # formatted as text in the template: codes and NIBs keep their leading zeros
    choices: tuple[str, ...] = ()  # offered as a dropdown in the template
    example: str = ""
    # An optional column may be left out of a file (files made before the column existed stay
    # readable); its cells then read as empty.
    optional: bool = False


@dataclass(frozen=True)
class Prefill:
    """The rows a template comes with, and what names them in the file's name (a satker code)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    label: str = ""


class ImportKind:
    name: str
    title: Any
    columns: tuple[Column, ...]
    capability: Can = Can.IMPORT  # besides importing at all, what the user must be allowed
    refusal: Any = _("Peran Anda tidak dapat mengimpor jenis data ini.")

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def optional_column_names(self) -> list[str]:
        return [column.name for column in self.columns if column.optional]

    def read(self, path: Any, *, max_rows: int, progress: Callable[[int, int], None] | None = None) -> Sheet:
        """The file's rows. The CONTRACT kinds read a header in row 1 (imports/reader.py); a kind
        whose files come in another system's published layout (the treasury's, budgets/treasury/)
        reads them its own way and may raise ImportFileError for a file it cannot read at all."""
        return read_sheet(path, columns=self.column_names, max_rows=max_rows, optional=self.optional_column_names,
                          progress=progress)  # fmt: skip

    def example_workbook(self) -> bytes | None:
        """The file offered instead of the CONTRACT template (an example of a published layout);
        None: the template of the kind's columns."""
        return None

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        """Every row checked against the rules and the stored data; writes nothing."""
        raise NotImplementedError

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        """Write an error-free plan (inside the caller's transaction), through the services."""
        raise NotImplementedError

    def prefill(self, *, user: User, query: Mapping[str, str], today: date) -> Prefill:
        """The template's rows for this user (``query``: the template link's parameters)."""
        return Prefill()

    # The column holding a Kemendagri regency code, if the kind has one: its template gets the
    # sheet of codes (regency_rows) and a dropdown on that column.
    regency_column: str | None = None

    def regency_rows(self, user: User) -> list[tuple[str, str, str]] | None:
        """(code, name, province) of the regencies this user's rows may name, for the template's
        code sheet; None for a kind without a regency column. The engine cannot read regencies
        itself (they are the budgets app's, a layer above): the kind's app answers."""
        return None

    def read_cells(self, plan: ImportPlan, number: int, cells: dict[str, Any]) -> dict[str, Any]:
        """The value of each column whose cell reads; each cell that does not is reported and left out."""
        values: dict[str, Any] = {}
        for column in self.columns:
            try:
                values[column.name] = column.parse(cells.get(column.name))
            except CellError as error:
                plan.error(number, column.name, message_of(error))  # keeps its msgid (imports/errors.py)
        return values

    def parse_cells(self, plan: ImportPlan, number: int, cells: dict[str, Any]) -> dict[str, Any] | None:
        """The row's value of every column, or None after reporting each cell that does not read."""
        values = self.read_cells(plan, number, cells)
        return values if len(values) == len(self.columns) else None

    def parsed_rows(self, plan: ImportPlan, sheet: Sheet) -> list[tuple[int, dict[str, Any]]]:
        """(row number, values) of the rows whose every cell reads; the others are reported cell by cell."""
        parsed = []
        for number, cells in sheet.rows:
            values = self.parse_cells(plan, number, cells)
            if values is not None:
                parsed.append((number, values))
        return parsed
