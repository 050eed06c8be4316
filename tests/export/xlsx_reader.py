"""Reads an .xlsx sheet's cells as stored in the file (type and exact text), for exactness checks."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _column(ref: str) -> int:
    """Zero-based column of a cell reference such as ``C7``."""
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def raw_cells(path: Path, width: int | None = None) -> list[list[tuple[str, str]]]:
    """Each row as ``(type, text)`` cells: ``n`` numbers with their stored digits, ``s`` text,
    ``("", "")`` for a cell the file leaves out (an empty one)."""
    with zipfile.ZipFile(path) as book:
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind(".//m:sheetData/m:row", NS):
        cells: dict[int, tuple[str, str]] = {}
        for c in row.iterfind("m:c", NS):
            if c.get("t") == "inlineStr":
                cell = ("s", "".join(t.text or "" for t in c.iterfind(".//m:t", NS)))
            else:
                v = c.find("m:v", NS)
                cell = ("n", "" if v is None else v.text or "")
            cells[_column(c.get("r", ""))] = cell
        size = max(width or 0, max(cells, default=-1) + 1)
        rows.append([cells.get(i, ("", "")) for i in range(size)])
    return rows
