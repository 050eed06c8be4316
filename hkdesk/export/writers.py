"""CSV and Excel files from an :class:`ExportTable`, with every decimal kept exactly.

CSV: decimals in plain notation as stored (``400.20`` stays ``400.20``, never ``4.002E+2``),
times as ``YYYY-MM-DD HH:MM:SS.fff`` Hong Kong time, UTF-8 with a header line.

Excel (``.xlsx``, written by openpyxl in streaming mode): a number is a numeric cell whose
stored text is the exact decimal (``<v>400.2</v>``), so Excel shows it exactly and any other
reader gets the exact digits. openpyxl would print numbers through a binary float with 16
significant digits (9.2 becomes 9.199999999999999), so the cell is given the decimal's text
and marked numeric instead. Excel holds 15 significant digits: a value with more (a huge
turnover, a 64-bit sequence number) is written as a text cell so no digit is lost. Times are
Excel date-times with millisecond display.
"""

from __future__ import annotations

import csv
import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from hkdesk.export.tables import Cell, ExportTable
from hkdesk.store.schema import decimal_text

#: Significant digits Excel keeps in a number.
EXCEL_DIGITS = 15
#: Rows in one Excel sheet, the header included.
EXCEL_MAX_ROWS = 1_048_576
FORMATS = (".csv", ".xlsx")


class ExportError(Exception):
    """An export that cannot be written; the message says why."""


def write_table(table: ExportTable, path: Path) -> int:
    """Write ``table`` as CSV or Excel by the file's suffix; returns the number of data rows.

    The file appears whole or not at all: it is written beside the target, then renamed.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"{path.name}: the file must end in .csv or .xlsx")
    part = path.with_name(path.name + ".part")
    try:
        n = write_csv(table, part) if suffix == ".csv" else write_xlsx(table, part)
        os.replace(part, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)
    return n


def csv_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return decimal_text(cell)
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M:%S.") + f"{cell.microsecond // 1000:03d}"
    return str(cell)


def write_csv(table: ExportTable, path: Path) -> int:
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([csv_text(cell) for cell in row])
            n += 1
    return n


def fits_excel_number(value: Decimal | int) -> bool:
    """Whether Excel can hold ``value`` as a number without losing a digit."""
    if isinstance(value, int):
        return len(str(abs(value))) <= EXCEL_DIGITS
    return value.is_finite() and len(value.as_tuple().digits) <= EXCEL_DIGITS


def write_xlsx(table: ExportTable, path: Path) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(table.title))
    sheet.append(list(table.columns))

    def cell(value: Cell) -> WriteOnlyCell | str | None:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            if not fits_excel_number(value):
                return decimal_text(value) if isinstance(value, Decimal) else str(value)
            out = WriteOnlyCell(
                sheet, value=decimal_text(value) if isinstance(value, Decimal) else str(value)
            )
            out.data_type = "n"  # numeric cell holding the exact decimal text
            return out
        if isinstance(value, datetime):
            out = WriteOnlyCell(sheet, value=value)
            out.number_format = "yyyy-mm-dd hh:mm:ss.000"
            return out
        return value

    n = 0
    for row in table.rows:
        n += 1
        if n >= EXCEL_MAX_ROWS:
            raise ExportError(f"{n:,}+ rows do not fit in one Excel sheet; export to .csv instead")
        sheet.append([cell(v) for v in row])
    book.save(path)
    return n


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return clean[:31] or "export"
