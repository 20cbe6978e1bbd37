"""Measuring a drawn graph in the browser: label boxes from vis-network's own label sizes
at their drawn positions, in screen pixels, how many overlap, and which labels are wrapped
inside a word."""

from __future__ import annotations

from typing import Any

LABEL_BOXES = r"""(cid) => {
  const net = window.kgGraphs[cid];
  const el = document.getElementById(cid);
  const rect = el.getBoundingClientRect();
  const scale = net.getScale();
  const boxes = [];
  let minFont = Infinity;
  for (const id of net.body.nodeIndices) {
    const n = net.body.nodes[id];
    if (n.options.hidden) continue;
    const lm = n.labelModule;
    if (!lm || !lm.visible()) continue;
    const a = net.canvasToDOM({x: lm.size.left, y: lm.size.top});
    const b = net.canvasToDOM({x: lm.size.left + lm.size.width, y: lm.size.top + lm.size.height});
    if (b.x < 0 || b.y < 0 || a.x > rect.width || a.y > rect.height) continue;  // off screen
    minFont = Math.min(minFont, Math.min(lm.fontOptions.size * scale,
                                         lm.elementOptions.scaling.label.maxVisible));
    boxes.push({id, label: String(lm.elementOptions.label), x0: a.x, y0: a.y, x1: b.x, y1: b.y});
  }
  for (const id of net.body.edgeIndices) {
    const e = net.body.edges[id];
    if (e.options.hidden || !e.labelModule || !e.labelModule.visible()) continue;
    const s = e.labelModule.size;
    const a = net.canvasToDOM({x: s.left, y: s.top});
    const b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    boxes.push({id, label: String(e.labelModule.elementOptions.label), x0: a.x, y0: a.y, x1: b.x, y1: b.y});
  }
  const cut = [];  // a drawn line that ends inside a word of the label vis-network was given
  for (const id of net.body.nodeIndices) {
    const n = net.body.nodes[id], lm = n.labelModule;
    if (n.options.hidden || !lm || !lm.visible() || !lm.lineCount) continue;
    const full = String(lm.elementOptions.label);
    const rows = lm.lines.map(l => l.blocks.map(b => b.text).join('').trim());
    let at = 0;
    for (let i = 0; i < rows.length; i++) {
      const k = full.indexOf(rows[i], at);
      if (k < 0) { cut.push(rows.join(' | ')); break; }
      at = k + rows[i].length;
      if (i + 1 < rows.length && rows[i] && !/^\s/.test(full.slice(at)) && !/[-\u2010\u2013\/]$/.test(rows[i])) {
        cut.push(rows.join(' | '));
        break;
      }
    }
  }
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const p = boxes[i], q = boxes[j];
    if (p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1) pairs.push([p.label, q.label]);
  }
  const shown = net.body.nodeIndices.filter(id => !net.body.nodes[id].options.hidden);
  return {labels: boxes.length, overlaps: pairs, cut, minFont: boxes.length ? minFont : null,
          drawn: shown.filter(id => typeof id === 'number').length,
          groups: shown.filter(id => typeof id === 'string').length};
}"""


def ready(page: Any, cid: str) -> None:
    page.wait_for_selector(f"#{cid}[data-ready]")


def labels(page: Any, cid: str) -> dict[str, Any]:
    """Drawn label boxes of a graph: ``labels``, ``overlaps`` (pairs), ``minFont`` (px),
    ``drawn`` (visible nodes), ``groups`` (visible folded groups) and ``cut`` (labels with
    a drawn line that ends inside a word, lines joined by " | ")."""
    result: dict[str, Any] = page.evaluate(LABEL_BOXES, cid)
    return result
