"""Spreadsheet cells that stay text: the OWASP advice against CSV (formula) injection.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
spreadsheet programs (``@SUM(1+1)*cmd|' /C calc'!A0``). Every CSV and workbook Chair writes passes its text
cells through ``text_cell``, which puts a single quote in front of such a value so it is shown as typed.
Numbers are left as numbers (a negative number is not text).
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: Any) -> Any:
    """``value`` unchanged, except text a spreadsheet would read as a formula, which gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(df):
    """A copy of a pandas DataFrame with every text cell and column name made safe by ``text_cell``."""
    out = df.copy()
    out.columns = [text_cell(c) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(text_cell)
    return out
