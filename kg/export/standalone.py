"""A graph view as one self-contained HTML file, written by pyvis.

pyvis builds the network (nodes, edges, options) and renders it through a template; we give
it our own template (:file:`templates/standalone.html`) in an escaping Jinja environment,
with vis-network's JavaScript from the pyvis package inlined, so the file opens offline and
pulls nothing from a CDN. The JSON records are written for a ``<script>`` block (``<``,
``>`` and ``&`` as ``\\u`` escapes), titles become text, never HTML. Files are made when
first asked for and kept per data version.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network

from kg.cache import per_version
from kg.store.base import Store

__all__ = ["script_json", "standalone_html"]

TEMPLATES = Path(__file__).parent / "templates"
_KEEP = ("id", "label", "title", "x", "y", "size", "group", "color", "dashes", "arrows",
         "width", "borderWidth", "font")


def script_json(value: Any) -> Markup:
    """JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` can end the block.

    >>> str(script_json({"label": "</script><b>"}))
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _vis_js(vendor: Path) -> Markup:
    code = (vendor / "vis-network.min.js").read_text(encoding="utf-8")
    if "</script" in code.lower():  # cannot be inlined safely
        raise ValueError("vis-network.min.js holds '</script'")
    return Markup(code)


def _network(data: dict[str, Any]) -> Network:
    net = Network(height="100%", width="100%", directed=True, cdn_resources="local")
    for n in data["nodes"]:
        attrs = {k: n[k] for k in _KEEP if k in n and k != "id"}
        attrs["label"] = n.get("label") or " "
        attrs["title"] = n.get("name") or n.get("title") or n.get("label")
        net.add_node(n["id"], **attrs)
    for e in data["edges"]:
        attrs = {k: e[k] for k in _KEEP if k in e and k not in ("id",)}
        net.add_edge(e["from"], e["to"], **attrs)
    options = dict(data.get("options") or {})
    options["interaction"] = {**options.get("interaction", {}), "zoomView": True,
                              "dragView": True, "hover": True}
    net.options = options
    return net


def _render(data: dict[str, Any], title: str, lang: str, note: str, vendor: Path) -> bytes:
    net = _network(data)
    net.set_template_dir(str(TEMPLATES), "standalone.html")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    env.filters["script_json"] = script_json
    env.globals.update(vis_js=_vis_js(vendor), page_title=title, lang=lang, note=note,
                       legend=data.get("legend", []), made=date.today().isoformat(),
                       center=data.get("label"))
    net.templateEnv = env
    html: str = net.generate_html(name="graf.html", local=True, notebook=False)
    return html.encode("utf-8")


def standalone_html(store: Store, data: dict[str, Any], *, title: str, lang: str, note: str,
                    vendor: Path) -> bytes:
    """The graph of ``data`` (a graph view's records) as one HTML file, cached per version."""
    key = {"title": title, "lang": lang, "nodes": [n["iri"] for n in data["nodes"]],
           "hops": data.get("hops"), "filter": data.get("filter")}
    body: bytes = per_version(store, "standalone-graph",
                              lambda: _render(data, title, lang, note, vendor), params=key)
    return body
