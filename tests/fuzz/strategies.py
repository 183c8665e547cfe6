"""What the fuzz tests type into the product: hostile text and numbers, as a fixed list (every
value of which each form gets in its sweep) and as hypothesis strategies that mix that list with
generated values.

Numbers come plain, Indonesian-formatted (``1.250.000,50``), negative, far too large, in other
scripts' digits and in float spellings; text comes with SQL and HTML fragments, right-to-left
marks, emoji, NUL and other control characters, and 10.000+ characters.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from hypothesis import strategies as st

# The markup of the HTML fragments below: none of it may come back unescaped in a response.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SVG = "'><svg onload=alert(1)>"
RAW_MARKERS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "onerror=alert(1)>",
    "<svg onload=alert(1)>",
)

SQL = ("'; DROP TABLE budgets_realization; --", "1 OR 1=1", "' OR '1'='1' --", "1; SELECT pg_sleep(5)--",
       "%", "_%_", "\\", "1' UNION SELECT password FROM accounts_user --")  # fmt: skip
HTML = (SCRIPT, IMG, SVG, f"Sentra {SCRIPT} Tenun", "{{ 7|add:7 }}", "{% debug %}", "javascript:alert(1)")
UNICODE = (
    "\u202etxt.exe",  # right-to-left override
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic, right to left
    "\U0001f600" * 50,
    "\U0001d518\U0001d52b\U0001d526",  # mathematical letters
    "\x00",
    "a\x00b",
    "\x1b[31mmerah\x1b[0m",
    "\x07\x08\x0b\x0c",
    "\r\n\r\n",
    "\u200b",  # zero-width space
    "\ufeffBOM",
    "\u00a0",  # no-break space
    "Bengkulu\u0301",  # combining accent
)
EMPTY = ("", " ", "\t\n ", "   \u3000  ")
LONG = ("A" * 10_001, SCRIPT * 400, "9" * 10_000, "\U0001f600" * 10_001)
NUMBERS = (
    str(10**30),
    "-" + str(10**30),
    str(10**15),
    str(10**15 - 1),
    str(2**31),
    str(2**63),
    str(2**64),
    "9" * 20,
    "9" * 5_000,  # over Python's 4.300-digit limit of int()
    "-1",
    "-5",
    "-1.000",
    "-0",
    "\u22125",  # a real minus sign
    "0",
    "1e999",
    "-1e999",
    "1e-999",
    "NaN",
    "sNaN",
    "Infinity",
    "-inf",
    "1.250.000,50",
    "1.250.000,00",
    "1.250.000",
    "Rp 1.250.000",
    "Rp1.250.000,-",
    " 1 250 000 ",
    "1,5",
    "1," + "0" * 5_000,
    "1,\u00b2",  # a superscript two: str.isdigit() says yes, int() says no
    "\u00b2",
    "\u0661\u0662\u0663",  # Arabic-Indic digits
    "\uff11\uff12\uff13",  # full-width digits
    "12abc",
    "0x1F",
    "1_000",
    "+5",
    ".5",
    "1..2",
    ",",
    ".",
    "Rp",
    "3.14159",
    "1/0",
)
HOSTILE: tuple[str, ...] = (*NUMBERS, *SQL, *HTML, *UNICODE, *EMPTY, *LONG)


def indonesian(number: int) -> str:
    """12345678 -> '12.345.678'."""
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", ".")


@cache  # one strategy object: hypothesis then reuses what it learnt of it
def long_text() -> st.SearchStrategy[str]:
    """Over 10.000 characters (a few characters repeated: building them one by one is slow)."""
    return st.builds(
        lambda piece, count: (piece or "x") * (10_001 // len(piece or "x") + count),
        st.sampled_from(["A", SCRIPT, "\u202e\U0001f600", "'; --", "1.000"]),
        st.integers(0, 50),
    )


@cache  # one strategy object: hypothesis then reuses what it learnt of it
def numbers() -> st.SearchStrategy[str]:
    """Whole numbers of every size, sign and spelling, Indonesian style or not."""
    big = st.integers(-(10**40), 10**40)
    small = st.integers(-1_000, 10**9)
    number = st.one_of(small, big)
    spelled = st.one_of(
        number.map(str),
        number.map(indonesian),
        st.tuples(number, st.integers(0, 99)).map(lambda t: f"{indonesian(t[0])},{t[1]:02d}"),
        number.map(lambda n: f"Rp {indonesian(n)}"),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )
    return st.tuples(st.sampled_from(["", " ", "\t", "\u00a0"]), spelled, st.sampled_from(["", " ", "\n"])).map("".join)


@cache  # one strategy object: hypothesis then reuses what it learnt of it
def texts() -> st.SearchStrategy[str]:
    """Any Unicode text (NUL and control characters included), short or very long."""
    return st.one_of(st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=200), long_text())


@cache  # one strategy object: hypothesis then reuses what it learnt of it
def hostile() -> st.SearchStrategy[str]:
    """One value a form field may receive: the fixed list, or generated numbers and text."""
    return st.one_of(st.sampled_from(HOSTILE), numbers(), texts())


@cache  # one strategy object: hypothesis then reuses what it learnt of it
def cell_values() -> st.SearchStrategy[Any]:
    """What a cell of an uploaded workbook may hold: hostile text, numbers of every size (ints
    and floats; ``INF``/``-INF`` become real infinities in the file, see test_import_parsers),
    booleans, dates and times, or nothing."""
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.integers(-(10**40), 10**40),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from([INF, NEG_INF, 1e300, -1e300, 0.5, -0.0, 2.5e-300]),
        st.booleans(),
        st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31)),
        st.dates(min_value=dt.date(1900, 1, 1)),
        st.times(),
        st.none(),
        numbers(),
        texts(),
    )


# Stand-ins for the infinities openpyxl refuses to write: written as these numbers, then turned
# into ``1e999`` / ``-1e999`` in the sheet XML, which every reader parses as +/- infinity.
INF = 1.2345678901234567e300
NEG_INF = -1.2345678901234567e300
