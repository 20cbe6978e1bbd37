"""Helpers shared by the web-app tests."""

from __future__ import annotations

from bs4 import BeautifulSoup

__all__ = ["ATTR", "IMG", "SCRIPT", "soup"]

#: Labels and texts that would run script if a page pasted them in unescaped.
SCRIPT = "<script>alert(1)</script>"
ATTR = '"onerror=alert(1)'
IMG = "<img src=x onerror=alert(1)>"


def soup(html: str | bytes) -> BeautifulSoup:
    """Parse a page."""
    return BeautifulSoup(html, "html.parser")
