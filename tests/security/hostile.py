"""What the hostile-input tests throw at the portal (Hypothesis strategies), and what
they check after each payload.

Text: arbitrary Unicode, NUL and other control characters, 10 KB strings, decomposed
(NFD) Vietnamese, HTML, SQL, template syntax and spreadsheet formulas, and mixtures of
them. Numbers: huge and negative, exponent notations, NaN and infinities, other digit
systems, the Vietnamese and the English grouping, text. Dates, choices and integers the
same way: the valid ones, and anything else.
"""

import os
import unicodedata
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

from django.core.validators import DecimalValidator
from django.db import models, transaction
from hypothesis import strategies as st

from backancity.text import normalise_text

# How many payloads each target received in this run (printed at the end of the run).
PAYLOADS: Counter = Counter()
SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 1


def examples(n: int) -> int:
    """The number of examples a test runs under the current Hypothesis profile."""
    return n * SCALE


MARKUP = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "<iframe src=javascript:alert(1)>",
    "</textarea><script>alert(2)</script>",
    "<a href='javascript:alert(1)'>x</a>",
]
# Raw (unescaped) openings of the markup above: none may appear in a page.
RAW_MARKUP = ["<script>alert", "<img src=x", "<svg onload", "<iframe src=javascript", "<a href='javascript"]

FRAGMENTS = [
    "\x00",
    "a\x00b",
    "\x00\x00\x00",
    "\x07\x08\x0b\x0c\x1b[31m\x7f",
    "\r\n",
    "\r",
    "\u202e",  # right-to-left override
    "\ufeff",
    "\u200b",
    "\U0001f600",
    "\uffff",
    *MARKUP,
    "'; DROP TABLE accounts_user; --",
    "1' OR '1'='1",
    '" OR 1=1 --',
    "%' OR 1=1 --",
    "' UNION SELECT password FROM accounts_user --",
    "=1+1",
    '=HYPERLINK("http://127.0.0.1/","bấm")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "%s%s%s%n",
    "%(x)s",
    "../../etc/passwd",
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "\\",
    "'",
    '"',
    "`",
]

VIETNAMESE = [
    "Phường Sông Cầu",
    "Nguyễn Thị Minh Khai",
    "Đường vào hồ Nặm Cắt",
    "Chỉnh trang tuyến phố kinh doanh",
    "Thành ủy Bắc Kạn",
    "ệ ổ ữ ặ ỷ Ỵ Ặ",
    "Hoàn thành chậm",
]

nfd_vietnamese = st.sampled_from(VIETNAMESE).map(lambda text: unicodedata.normalize("NFD", text))


def _ten_kilobytes(piece: str, extra: int) -> str:
    return (piece * (10_240 // max(1, len(piece)) + 1))[: 10_000 + extra]


long_text = st.builds(_ten_kilobytes, st.sampled_from(FRAGMENTS + VIETNAMESE + ["x"]), st.integers(0, 240))

_piece = st.one_of(st.sampled_from(FRAGMENTS), nfd_vietnamese, st.sampled_from(VIETNAMESE), st.text(max_size=12))

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(FRAGMENTS),
    nfd_vietnamese,
    long_text,
    st.lists(_piece, min_size=1, max_size=6).map("".join),
)

NUMBER_SAMPLES = [
    "1e308",
    "-1e-400",
    "1E+999999999",
    "1e-999999999",
    "9" * 400,
    "-" + "9" * 60,
    "0,00000001",
    "1.234,5",
    "1,234.5",
    "4.086",
    "58,37",
    "１２３",  # full-width digits
    "١٢٣",  # Arabic-Indic digits
    "−5",  # Unicode minus
    " 12 ",
    "1_000",
    "0x1F",
    "NaN",
    "-Infinity",
    "sNaN",
    "1.2.3",
    ",5",
    "5,",
    "",
    " ",
    "\x00",
    "4.086,5e3",
    "100,0000001",
    "-0",
    "1" + "0" * 30,
]

hostile_number = st.one_of(
    st.sampled_from(NUMBER_SAMPLES),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=-(10**15), max_value=10**15).map(lambda n: f"{n:,}".replace(",", ".")),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.floats(min_value=-1e6, max_value=1e6).map(lambda f: f"{f:.6f}".replace(".", ",")),
    hostile_text,
)

DATE_SAMPLES = ["31/02/2024", "00/00/0000", "99/99/99999", "1/1/1", "01/01/10000", "2024-08-15", "15/08/2024\x00", "15/8/24"]
hostile_date = st.one_of(
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    st.sampled_from(DATE_SAMPLES),
    hostile_text,
)

hostile_integer = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "1", "-1", "1e3", "0x10", "", "9" * 30]),
    hostile_text,
)


def hostile_choice(values):
    return st.one_of(st.sampled_from(list(values)), hostile_text)


# --- running examples -----------------------------------------------------------------------


@contextmanager
def kept_for_the_module(django_db_blocker):
    """Data built inside this block lives until the module ends, then is rolled back;
    each test's own transaction is a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextmanager
def rolled_back():
    """One example, in a savepoint rolled back after it: an example cannot prepare the
    ground for the next, and the data set stays as it was built."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- what is checked after each payload -----------------------------------------------------


def assert_no_server_error(response):
    # The test client re-raises an unhandled exception; a 5xx page is no better.
    assert response.status_code < 500, response.status_code


def assert_escaped(response):
    """No raw markup from a payload in an HTML page."""
    if "html" not in response.get("Content-Type", ""):
        return
    body = response.content.decode("utf-8", errors="replace")
    for raw in RAW_MARKUP:
        assert raw not in body, f"raw markup {raw!r} in the page"


def assert_stays_on_the_site(response, *, host="testserver"):
    """A redirect never leads off the site (an open redirect through `next`). Read as a
    browser reads it: leading blanks and control characters dropped, backslashes as
    slashes, relative to the page."""
    if 300 <= response.status_code < 400:
        location = response["Location"].lstrip("".join(chr(c) for c in range(33))).replace("\\", "/")
        target = urlsplit(urljoin(f"http://{host}/trang/", location))
        assert target.scheme in ("http", "https") and target.netloc == host, response["Location"]


def assert_normalised(instance):
    """Every text field stored in NFC without NUL or other control characters, and every
    decimal within its column's digits."""
    instance.refresh_from_db()
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, (models.CharField, models.TextField)) and isinstance(value, str):
            assert value == normalise_text(value), f"{field.name} not normalised: {value[:80]!r}"
            assert "\x00" not in value
            if field.max_length:
                assert len(value) <= field.max_length, field.name
        if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
            assert value.is_finite(), field.name
            DecimalValidator(field.max_digits, field.decimal_places)(value)
