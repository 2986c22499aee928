"""The console's list pages take ``?page=N``; anything but ASCII digits is page 1.

A black-box review found "?page=%C2%B2" (a superscript two, which Python's str.isdigit()
accepts and int() refuses) answered with a 500 on the roles, groups and policies lists; a
later one, 5,000 nines (more digits than Python converts).
"""

from __future__ import annotations

import pytest

from iamsandbox.console.pages.iam_common import page_number


@pytest.mark.parametrize(
    ("text", "page"),
    [("3", 3), (None, 1), ("", 1), ("²", 1), ("1²", 1), ("0", 1), ("-2", 1), ("99999", 99999), ("9" * 5000, 1)],
)
def test_page_numbers(text: str | None, page: int) -> None:
    assert page_number(text) == page
