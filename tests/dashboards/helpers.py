"""Reading the dashboards' HTML in tests."""

import re
from html import unescape


def row_html(html: str, attribute: str, key: str) -> str:
    """The <tr> of a table row marked data-<attribute>="key"."""
    match = re.search(rf'<tr data-{attribute}="{re.escape(key)}".*?</tr>', html, re.S)
    assert match, f"no row {attribute}={key}"
    return match.group(0)


def cell_text(row: str, column: str) -> str:
    """The visible text of the cell marked data-col="column", whitespace collapsed."""
    match = re.search(rf'<td[^>]*data-col="{re.escape(column)}"[^>]*>(.*?)</td>', row, re.S)
    assert match, f"no cell {column}"
    return text(match.group(1))


def text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
