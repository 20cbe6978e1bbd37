"""Bar charts as plain data for inline SVG: geometry computed here, drawn by a template.

No JavaScript and no CDN: ``analytics/_charts.html`` turns these dicts into ``<svg>``, with
every text escaped by Jinja.

>>> c = hbars([{"label": "Tillväxtverket", "value": 3.0}, {"label": "ERUF", "value": 1.5}])
>>> [round(b["w"]) for b in c["bars"]], c["height"]
([300, 150], 56)
>>> v = columns([{"label": "2017", "value": 2}, {"label": "2018", "value": 4}], height=100)
>>> [b["h"] for b in v["bars"]]
[22.0, 44.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["columns", "hbars", "short"]

Formatter = Callable[[float], str]


def short(text: str, limit: int = 38) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis.

    >>> short("Europeiska regionala utvecklingsfonden", 20)
    'Europeiska regional…'
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def hbars(rows: Sequence[dict[str, Any]], *, fmt: Formatter = str, bar_width: float = 300,
          label_width: float = 250, value_width: float = 130, bar: float = 22,
          gap: float = 6) -> dict[str, Any]:
    """Horizontal bars (one per row, in order): rows have ``label``, ``value``, opt. ``url``."""
    top = max((float(r["value"]) for r in rows), default=0.0) or 1.0
    bars = []
    for i, r in enumerate(rows):
        value = float(r["value"])
        bars.append({"y": i * (bar + gap), "w": max(bar_width * value / top, 1.0), "h": bar,
                     "label": short(str(r["label"])), "full": str(r["label"]),
                     "value": fmt(value), "url": r.get("url")})
    return {"width": label_width + bar_width + value_width, "height": len(rows) * (bar + gap),
            "label_width": label_width, "bars": bars}


def columns(rows: Sequence[dict[str, Any]], *, fmt: Formatter = str, width: float = 640,
            height: float = 220, axis: float = 36, max_slot: float = 110) -> dict[str, Any]:
    """Vertical columns (one per row, in order): rows have ``label`` and ``value``."""
    top = max((float(r["value"]) for r in rows), default=0.0) or 1.0
    room = height - axis - 20
    slot = min(width / max(len(rows), 1), max_slot)
    bars = []
    for i, r in enumerate(rows):
        value = float(r["value"])
        h = round(room * value / top, 1)
        bars.append({"x": round(i * slot + slot * 0.15, 1), "w": round(slot * 0.7, 1),
                     "y": round(height - axis - h, 1), "h": h, "cx": round(i * slot + slot / 2, 1),
                     "label": str(r["label"]), "value": fmt(value)})
    width = max(slot * len(rows), 200.0)
    return {"width": width, "height": height, "base": height - axis, "bars": bars}
