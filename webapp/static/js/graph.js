/* Samverkansgrafen: the graph views, drawn with vis-network (served locally).
 *
 * Every element with data-kg-graph="ID" gets a network built from the JSON in
 * <script type="application/json" id="ID">; its widget (the enclosing [data-kg-widget])
 * holds the tools. Positions come from the server and physics is off. Then:
 *
 * - Labels never overlap at the default zoom. Up to SMALL drawn nodes, the layout is
 *   stretched to the canvas's shape and nodes are nudged apart until no label box (with
 *   its node) touches another; above that, labels keep a constant size on screen and only
 *   the most important ones that fit are shown, more as you zoom in.
 * - Large neighbourhoods come folded into groups ("38 projekt · projektägare"): a click
 *   opens a group, another folds it.
 * - The page keeps its scroll: the graph zooms with Ctrl + wheel, or after a click on it
 *   (it is then "active" until Escape, a click outside or the Done button); on a touch
 *   screen a finger scrolls the page until the graph is tapped.
 * - Hovering or focusing a node highlights its neighbours; a click shows its details in
 *   the side panel (a double click opens its page); the find box centres a node.
 * - A year slider shows what was active in a year or period; undated relations are drawn
 *   faded and can be hidden, never given a year.
 * - The hop count, period and hidden types are kept in the URL; the count line says what
 *   is drawn.
 * - Export as PNG, SVG (built here) and GraphML / HTML (from the server).
 *
 * Titles and labels become text nodes (never HTML). window.kgGraphs[id] is the network and
 * element.kgView the view (for tests and tools).
 */
(function () {
  "use strict";

  var SMALL = 60;          // up to this many drawn nodes: move nodes so all labels fit
  var SCREEN_FONT = 13;    // label size on screen in large views (px)
  var PAD = 6;             // space kept between label boxes (canvas px)
  var MIN_FONT = 9;        // below this on screen, a small view labels only what fits
  var LABEL_CELL = 50, LABEL_PER_CELL = 3;  // large views: labels measured per choice, the
                                            // most important nodes of each 50 px patch
  var FADED = "rgba(150,160,170,0.25)";
  var lang = document.documentElement.getAttribute("lang") || "sv";

  function text(el, key, fallback) {
    var v = el && el.getAttribute("data-t-" + key);
    return v == null ? fallback : v;
  }

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      return values[k] == null ? m : String(values[k]);
    });
  }

  function tip(value) {
    var el = document.createElement("div");
    el.className = "kg-tip";
    el.textContent = value == null ? "" : String(value);
    return el;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^(\/(?!\/)|https?:\/\/)/.test(url) ? url : null;
  }

  /* Labels wrap between words only. vis-network cuts a word wider than a node's
     widthConstraint into pieces ("Kommunförbunde|t"), so each node's constraint is widened
     to its widest word; a word wider than WORD_CAP times the usual width is shortened with
     an ellipsis instead (the full name stays in the tooltip and the side panel). */
  var FACE = "system-ui, sans-serif";
  var WORD_CAP = 1.5;       // on a phone 1: a wider word is shortened
  var MARGIN = 5, GROUP_MARGIN = 8;  // vis-network's label margins (default; folded groups)
  var measurer = null;
  function textWidth(value, size) {
    if (!measurer) { measurer = document.createElement("canvas").getContext("2d"); }
    measurer.font = size + "px " + FACE;
    return measurer.measureText(value).width;
  }

  /* The label with any too-wide word shortened, and its widest word's width per px of font. */
  function fitWords(label, size, cap) {
    var words = String(label).split(/\s+/), widest = 0, changed = false;
    words = words.map(function (w) {
      var width = textWidth(w, size);
      if (width > cap) {
        while (w.length > 1 && textWidth(w + "\u2026", size) > cap) { w = w.slice(0, -1); }
        w += "\u2026";
        width = textWidth(w, size);
        changed = true;
      }
      widest = Math.max(widest, width);
      return w;
    });
    return { label: changed ? words.join(" ") : String(label), perPx: widest / size };
  }

  /* Draw without painting any text: vis-network measures and places every label while it
     draws, which is what the label choice needs; painting 2,000 labels that are then hidden
     is most of a large view's first second in a software-rendered canvas. */
  function withoutText(network, draw) {
    var ctx = network.canvas.getContext();
    ctx.fillText = ctx.strokeText = function () {};
    try { draw(); } finally { delete ctx.fillText; delete ctx.strokeText; }
  }

  function overlaps(a, b, pad) {
    return a.x0 < b.x1 + pad && b.x0 < a.x1 + pad && a.y0 < b.y1 + pad && b.y0 < a.y1 + pad;
  }

  /* ---------------------------------------------------------------- the view ---- */
  function View(container, data) {
    this.container = container;
    this.widget = container.closest("[data-kg-widget]") || container.parentNode;
    this.data = data;
    this.params = new URLSearchParams(window.location.search);
    this.expanded = {};
    this.hiddenTypes = {};
    (this.params.get("dolj") || "").split(",").forEach(function (t) {
      if (t) { this.hiddenTypes[t] = true; }
    }, this);
    this.period = this.readPeriod(this.params.get("tid"));
    this.showUndated = this.params.get("odaterade") !== "0";
    this.active = false;
    this.build();
  }

  View.prototype.readPeriod = function (raw) {
    var m = /^(\d{4})(?:-(\d{4}))?$/.exec(raw || "");
    if (!m) { return null; }
    var a = +m[1], b = m[2] ? +m[2] : a;
    return a <= b ? [a, b] : [b, a];
  };

  View.prototype.build = function () {
    var data = this.data, self = this;
    var narrow = this.container.getBoundingClientRect().width < 520;
    var options = Object.assign({}, data.options || {});
    this.labelWidth = ((options.nodes || {}).widthConstraint || {}).maximum || 150;
    if (narrow && options.nodes) {
      this.labelWidth = 120;
      options.nodes = Object.assign({}, options.nodes, { widthConstraint: { maximum: 120 } });
    }
    this.byId = {};
    this.adj = {};
    this.wordPx = {};
    var cap = narrow ? 1 : WORD_CAP;  // a phone's three columns have no room to spare
    var nodes = data.nodes.map(function (n) {
      var copy = Object.assign({}, n);
      var size = n.font ? n.font.size || 14 : 14, base = n.font ? 220 : self.labelWidth;
      var fit = fitWords(n.label == null ? "" : n.label, size, base * cap - 2 * MARGIN);
      copy.label = fit.label;
      self.wordPx[n.id] = fit.perPx;
      copy.widthConstraint = { maximum: self.wrapWidth(n.id, size, base, MARGIN) };  // the middle: one line if it can
      copy.title = tip(n.title || n.name || n.label);
      self.byId[n.id] = n;
      self.adj[n.id] = {};
      return copy;
    });
    (data.groups || []).forEach(function (g) {
      var gfit = fitWords(g.label, 14, (narrow ? 120 : 170) * cap - 2 * GROUP_MARGIN);
      self.wordPx[g.id] = gfit.perPx;
      nodes.push({ id: g.id, label: gfit.label, x: g.x, y: g.y, shape: "box", isGroup: true,
                   count: g.count, color: { background: "#ffffff", border: g.color },
                   borderWidth: 2, shapeProperties: { borderDashes: [4, 3] },
                   font: { size: 14, color: "#1b1b1b", strokeWidth: 0 },
                   margin: GROUP_MARGIN,
                   widthConstraint: { maximum: self.wrapWidth(g.id, 14, narrow ? 120 : 170, GROUP_MARGIN) },
                   title: tip(g.label), rank: 5 });
      self.byId[g.id] = g;
      self.adj[g.id] = {};
    });
    this.members = {};
    data.nodes.forEach(function (n) {
      if (n.grp != null) { (self.members[n.grp] = self.members[n.grp] || []).push(n.id); }
    });
    data.edges.forEach(function (e) {
      self.adj[e.from][e.to] = true;
      self.adj[e.to][e.from] = true;
    });
    this.large = data.nodes.length > SMALL;
    if (this.large) {  // labels are chosen after the first frame; until then none is drawn
      nodes.forEach(function (copy) {
        if (!copy.isGroup) { copy.font = Object.assign({}, copy.font || {}, { size: 0 }); }
      });
      this.fontsChanged = true;
    }
    this.labelled = {};
    var state = this.filterState();  // the first filters go into the data sets themselves
    nodes.forEach(function (copy) { Object.assign(copy, state.nodes[copy.id]); });
    this.nodes = new vis.DataSet(nodes);
    this.edges = new vis.DataSet(state.edges);
    this.visibleIds = state.visible;
    if (this.container.kgNetwork) { this.container.kgNetwork.destroy(); }
    this.container.removeAttribute("data-ready");
    if (window.performance && performance.mark) { performance.mark("kg-graph-start"); }
    this.network = new vis.Network(this.container, { nodes: this.nodes, edges: this.edges }, options);
    this.network.on("beforeDrawing", function (ctx) {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
    });
    this.wire();
    this.updateCount();
    this.syncUrl();
    var ctx = this.network.canvas.getContext();  // the first frame only places the nodes:
    ctx.fillText = ctx.strokeText = function () {};  // its labels are chosen next
    this.network.once("afterDrawing", function () {
      delete ctx.fillText; delete ctx.strokeText;
      self.arrange(true);
      self.network.once("afterDrawing", function () {  // the view as the user sees it
        if (window.performance && performance.mark) { performance.mark("kg-graph-drawn"); }
        self.container.setAttribute("data-ready", "1");
      });
      self.network.redraw();
    });
    this.container.kgNetwork = this.network;
    this.container.kgNodes = this.nodes;
    this.container.kgView = this;
    window.kgGraphs = window.kgGraphs || {};
    window.kgGraphs[this.container.id] = this.network;
  };

  /* ------------------------------------------------------------- visibility ---- */
  View.prototype.inPeriod = function (y0, y1) {
    if (!this.period) { return true; }
    if (y0 == null) { return null; }  // undated
    return y0 <= this.period[1] && (y1 == null ? y0 : y1) >= this.period[0];
  };

  View.prototype.shownAs = function (id) {
    var n = this.byId[id];
    if (n.grp != null && !this.expanded[n.grp]) { return n.grp; }
    return id;
  };

  /* What the filters show: each node's hidden/opacity, the drawn edges, the visible ids. */
  View.prototype.filterState = function () {
    var self = this, data = this.data;
    var center = data.center ? this.nodeIdOf(data.center) : null;
    var ego = center != null;
    var parentOf = {};
    (data.groups || []).forEach(function (g) { parentOf[g.id] = g.parent; });
    function tree(u, v) {  // a link from the middle outwards (drawn strong), or a cross link
      if (!ego || u === center || v === center) { return true; }
      var a = self.byId[u] || {}, b = self.byId[v] || {};
      return a.via === v || b.via === u || parentOf[u] === v || parentOf[v] === u;
    }
    var liveEdges = {}, liveNodes = {}, dated = {};
    if (center != null) { liveNodes[center] = true; }
    data.edges.forEach(function (e, i) {
      var a = self.byId[e.from], b = self.byId[e.to];
      if (self.hiddenTypes[a.group] || self.hiddenTypes[b.group]) { return; }
      var when = self.inPeriod(e.y0, e.y1);
      if (when === false || (when === null && !self.showUndated)) { return; }
      var u = self.shownAs(e.from), v = self.shownAs(e.to);
      if (u === v) { return; }
      var grouped = u !== e.from || v !== e.to;
      if (grouped && !tree(u, v)) { return; }  // a folded group shows its own link only
      var key = u < v ? u + "|" + v : v + "|" + u;
      var prev = liveEdges[key];
      if (!prev || (prev.undated && when !== null)) {
        liveEdges[key] = { from: u, to: v, base: e, undated: when === null, i: i,
                           cross: !tree(u, v) };
      }
      liveNodes[u] = true; liveNodes[v] = true;
      if (when !== null) { dated[u] = true; dated[v] = true; }
    });
    data.nodes.forEach(function (n) {
      if (self.hiddenTypes[n.group] || liveNodes[n.id]) { return; }
      var when = self.inPeriod(n.y0, n.y1);
      if (!self.period || when === true || (when === null && self.showUndated)) {
        liveNodes[self.shownAs(n.id)] = true;
      }
    });
    var states = {};
    Object.keys(this.byId).forEach(function (key) {
      var show = !!liveNodes[key];
      var faded = show && self.period && !dated[key] && self.typed(key) !== center;
      states[key] = { hidden: !show, opacity: faded ? 0.45 : 1 };
    });
    var edges = Object.keys(liveEdges).map(function (key) {
      var le = liveEdges[key], e = le.base, grouped = le.from !== e.from || le.to !== e.to;
      var rec = { id: "e" + key, from: le.from, to: le.to, kind: e.kind,
                  color: { color: le.undated ? FADED : e.color, opacity: le.cross ? 0.3 : 1 },
                  dashes: le.undated ? [2, 6] : (e.dashes || false),
                  width: grouped ? 1.5 : (e.width || 1.2),
                  arrows: e.arrows && !grouped ? "to" : undefined };
      if (e.title && !grouped) { rec.title = tip(e.title); }
      return rec;
    });
    return { nodes: states, edges: edges,
             visible: Object.keys(liveNodes).map(function (k) { return self.typed(k); }) };
  };

  View.prototype.applyFilters = function () {
    var state = this.filterState(), updates = [];
    this.nodes.forEach(function (n) {
      var st = state.nodes[n.id];
      if (!!n.hidden !== st.hidden || (n.opacity == null ? 1 : n.opacity) !== st.opacity) {
        updates.push(Object.assign({ id: n.id }, st));
      }
    });
    if (updates.length) { this.nodes.update(updates); }
    this.edges.clear();
    this.edges.add(state.edges);
    this.visibleIds = state.visible;
    this.arrange(false);
    this.updateCount();
    this.syncUrl();
  };

  /* Object keys are strings: node ids are numbers, group ids ("g0") strings. */
  View.prototype.typed = function (key) {
    return /^\d+$/.test(String(key)) ? +key : key;
  };

  View.prototype.nodeIdOf = function (iri) {
    for (var i = 0; i < this.data.nodes.length; i++) {
      if (this.data.nodes[i].iri === iri) { return this.data.nodes[i].id; }
    }
    return null;
  };

  /* ---------------------------------------------------------------- layout ---- */
  View.prototype.arrange = function (first) {
    var ids = this.visibleIds || [];
    this.small = ids.length <= SMALL;
    if (this.small) {
      this.resetFonts();
      this.untangle(ids, first);
      this.fit();
      if (this.network.getScale() * 14 < MIN_FONT) {  // too small to read: label what fits
        this.small = false;
        this.chooseLabels();
      }
    } else {
      if (first) { this.fit(); }
      this.chooseLabels();
    }
  };

  View.prototype.fit = function () {
    var ids = this.visibleIds || [];
    this.network.fit({ nodes: ids.length ? ids : undefined, animation: false });
    if (this.small && this.network.getScale() > 1.4) {
      this.network.moveTo({ scale: 1.4, animation: false });
    }
  };

  /* A node's widthConstraint: the usual width, or its widest word (never cut) and margins. */
  View.prototype.wrapWidth = function (id, size, base, margin) {
    return Math.max(base, Math.ceil((this.wordPx[id] || 0) * size) + 2 * margin + 2);
  };

  View.prototype.resetFonts = function () {
    if (!this.fontsChanged) { return; }
    var up = [], self = this;
    this.data.nodes.forEach(function (n) {
      var size = n.font ? n.font.size || 14 : 14;
      up.push({ id: n.id, font: { size: size },
                widthConstraint: { maximum: self.wrapWidth(n.id, size, n.font ? 220 : self.labelWidth, MARGIN) } });
    });
    var gw = this.labelWidth < 150 ? 120 : 170;
    (this.data.groups || []).forEach(function (g) {
      up.push({ id: g.id, font: { size: 14 }, widthConstraint: { maximum: self.wrapWidth(g.id, 14, gw, GROUP_MARGIN) } });
    });
    this.nodes.update(up);
    this.fontsChanged = false;
    this.labelled = {};  // every node's label is drawn again
    this.data.nodes.forEach(function (n) { self.labelled[n.id] = true; });
  };

  /* A box around a node and its label, relative to the node's position (canvas px). */
  View.prototype.box = function (id) {
    var body = this.network.body.nodes[id];
    if (!body) { return null; }
    var size = body.options.size || 10;
    var r = { x0: -size, y0: -size, x1: size, y1: size };
    if (body.shape && body.shape.width && body.options.shape === "box") {
      r = { x0: -body.shape.width / 2, y0: -body.shape.height / 2,
            x1: body.shape.width / 2, y1: body.shape.height / 2 };
    }
    var lm = body.labelModule;
    if (lm && lm.size && lm.size.width && body.options.shape !== "box") {
      r.x0 = Math.min(r.x0, lm.size.left - body.x);
      r.x1 = Math.max(r.x1, lm.size.left + lm.size.width - body.x);
      r.y0 = Math.min(r.y0, lm.size.top - body.y);
      r.y1 = Math.max(r.y1, lm.size.top + lm.size.height - body.y);
    }
    return r;
  };

  /* Stretch the layout to the canvas's shape, then push apart any two boxes that touch. */
  View.prototype.untangle = function (ids, first) {
    var net = this.network, self = this;
    if (ids.length < 2) { return; }
    net.redraw();  // label sizes are measured while drawing
    var pos = net.getPositions(ids);
    var center = this.data.center ? this.nodeIdOf(this.data.center) : null;
    var items = ids.map(function (id) {
      return { id: id, x: pos[id].x, y: pos[id].y, b: self.box(id), pin: id === center };
    }).filter(function (it) { return it.b; });
    var narrow = this.container.getBoundingClientRect().width < 520;
    if (first && narrow && center != null && items.length > 12) { this.columns(items, center); }
    else if (first) { this.fitToBox(items, center); }
    for (var round = 0; round < 400; round++) {
      var moved = false;
      for (var i = 0; i < items.length; i++) {
        var a = items[i], ab = { x0: a.x + a.b.x0, y0: a.y + a.b.y0, x1: a.x + a.b.x1, y1: a.y + a.b.y1 };
        for (var j = i + 1; j < items.length; j++) {
          var c = items[j], cb = { x0: c.x + c.b.x0, y0: c.y + c.b.y0, x1: c.x + c.b.x1, y1: c.y + c.b.y1 };
          if (!overlaps(ab, cb, PAD)) { continue; }
          var dx = Math.min(ab.x1, cb.x1) - Math.max(ab.x0, cb.x0) + PAD;
          var dy = Math.min(ab.y1, cb.y1) - Math.max(ab.y0, cb.y0) + PAD;
          var ka = a.pin ? 0 : (c.pin ? 1 : 0.5), kc = 1 - ka;
          if (dy <= dx) {
            var sgn = (c.y > a.y || (c.y === a.y && j > i)) ? 1 : -1;
            a.y -= sgn * dy * ka + 0.5 * sgn * ka; c.y += sgn * dy * kc + 0.5 * sgn * kc;
          } else {
            var sgx = (c.x > a.x || (c.x === a.x && j > i)) ? 1 : -1;
            a.x -= sgx * dx * ka + 0.5 * sgx * ka; c.x += sgx * dx * kc + 0.5 * sgx * kc;
          }
          ab = { x0: a.x + a.b.x0, y0: a.y + a.b.y0, x1: a.x + a.b.x1, y1: a.y + a.b.y1 };
          moved = true;
        }
      }
      if (!moved) { break; }
    }
    this.nodes.update(items.map(function (it) { return { id: it.id, x: it.x, y: it.y }; }));
    if (first) { this.growToFit(items); }
  };

  /* Let the canvas grow taller (up to twice the screen) when the layout needs it to be
     drawn readably: the page scrolls past it, so a tall graph costs nothing. */
  View.prototype.growToFit = function (items) {
    var rect = this.container.getBoundingClientRect();
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    items.forEach(function (it) {
      x0 = Math.min(x0, it.x + it.b.x0); x1 = Math.max(x1, it.x + it.b.x1);
      y0 = Math.min(y0, it.y + it.b.y0); y1 = Math.max(y1, it.y + it.b.y1);
    });
    var want = rect.width < 520 ? 0.85 : 0.9;
    var scale = Math.min(want, (rect.width - 16) / Math.max(x1 - x0, 1));
    var need = Math.ceil((y1 - y0) * scale + 24);
    var most = Math.round(window.innerHeight * 2);
    if (need > rect.height + 8) {
      var h = Math.min(need, most);
      this.container.style.height = h + "px";
      this.network.setSize("100%", h + "px");
      this.network.redraw();
    }
  };

  /* Narrow screens: the middle on top, the rest in three columns below it, in ring order. */
  View.prototype.columns = function (items, center) {
    var pin = items.filter(function (it) { return it.id === center; })[0];
    var rest = items.filter(function (it) { return it.id !== center; });
    var cx = pin ? pin.x : 0, cy = pin ? pin.y : 0;
    rest.sort(function (a, b) {
      var ta = Math.atan2(a.x - cx, -(a.y - cy)), tb = Math.atan2(b.x - cx, -(b.y - cy));
      ta = ta < 0 ? ta + 2 * Math.PI : ta; tb = tb < 0 ? tb + 2 * Math.PI : tb;
      var ra = Math.hypot(a.x - cx, a.y - cy), rb = Math.hypot(b.x - cx, b.y - cy);
      return (Math.round(ra / 150) - Math.round(rb / 150)) || (ta - tb);
    });
    var cols = 3, w = 0;
    rest.forEach(function (it) { w = Math.max(w, it.b.x1 - it.b.x0); });
    w = Math.max(w, 90) + 10;
    if (pin) { pin.x = 0; pin.y = 0; }
    var y = pin ? pin.b.y1 + 60 : 0;
    for (var i = 0; i < rest.length; i += cols) {
      var row = rest.slice(i, i + cols), top = 0, bottom = 0;
      row.forEach(function (it) { top = Math.max(top, -it.b.y0); bottom = Math.max(bottom, it.b.y1); });
      row.forEach(function (it, j) { it.x = (j - (cols - 1) / 2) * w; it.y = y + top; });
      y += top + bottom + 14;
    }
  };

  /* Scale the layout (x and y on their own) to fill the canvas at a readable zoom. */
  View.prototype.fitToBox = function (items, center) {
    var rect = this.container.getBoundingClientRect();
    var target = rect.width < 520 ? 0.8 : 0.9;
    var lw = 0, lh = 0, cx = 0, cy = 0;
    items.forEach(function (it) { lw = Math.max(lw, it.b.x1 - it.b.x0); lh = Math.max(lh, it.b.y1 - it.b.y0); });
    var xs = items.map(function (it) { return it.x; }), ys = items.map(function (it) { return it.y; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var pin = items.filter(function (it) { return it.id === center; })[0];
    cx = pin ? pin.x : (x0 + x1) / 2; cy = pin ? pin.y : (y0 + y1) / 2;
    var tw = Math.max(rect.width / target - lw - 20, 160), th = Math.max(rect.height / target - lh - 20, 160);
    var sx = x1 > x0 ? Math.min(Math.max(tw / (x1 - x0), 0.35), 1.8) : 1;
    var sy = y1 > y0 ? Math.min(Math.max(th / (y1 - y0), 0.35), 1.8) : 1;
    if (sx / sy > 3) { sx = 3 * sy; } else if (sy / sx > 3) { sy = 3 * sx; }
    items.forEach(function (it) { it.x = cx + (it.x - cx) * sx; it.y = cy + (it.y - cy) * sy; });
  };

  /* Large views: constant-size labels, the most important first, none on another. Only
     the most important nodes of each patch of the screen are measured (a label is wider
     than a patch, so a node behind three more important ones in its patch never gets one):
     a 2,000-node view labels a few dozen at its default zoom, and measuring all 2,000 was
     most of its first second. Only the nodes whose label changes are updated. */
  View.prototype.chooseLabels = function () {
    var net = this.network, self = this;
    var scale = net.getScale();
    var size = Math.min(Math.max(SCREEN_FONT / scale, 4), 400);
    var wrap = Math.max(150 * size / 14, 40);
    var view = net.getViewPosition(), rect = this.container.getBoundingClientRect();
    var half = { x: rect.width / 2 / scale, y: rect.height / 2 / scale };
    function inView(id) {
      var body = net.body.nodes[id];
      return body && Math.abs(body.x - view.x) <= half.x && Math.abs(body.y - view.y) <= half.y;
    }
    var order = (this.visibleIds || []).filter(inView).sort(function (a, b) {
      var ga = typeof a === "string" ? 0 : 1, gb = typeof b === "string" ? 0 : 1;  // groups first
      return (ga - gb) || ((self.byId[a].rank || 0) - (self.byId[b].rank || 0));
    });
    var cand = [], perCell = {}, reach = LABEL_CELL / scale;
    order.forEach(function (id) {  // groups, then per patch of screen its most important nodes
      var body = net.body.nodes[id];
      var key = Math.floor(body.x / reach) + ":" + Math.floor(body.y / reach);
      if (typeof id === "string") { cand.push(id); return; }
      if ((perCell[key] = (perCell[key] || 0) + 1) <= LABEL_PER_CELL) { cand.push(id); }
    });
    var isCand = {}, up = [];
    cand.forEach(function (id) {
      isCand[id] = true;
      var margin = typeof id === "string" ? GROUP_MARGIN : MARGIN;
      up.push({ id: id, font: { size: size }, widthConstraint: { maximum: self.wrapWidth(id, size, wrap, margin) } });
    });
    Object.keys(this.labelled).forEach(function (key) {
      var id = self.typed(key);
      if (!isCand[id] && typeof id !== "string") { up.push({ id: id, font: { size: 0 } }); }
    });
    if (up.length) { this.nodes.update(up); }
    this.fontsChanged = true;
    withoutText(net, function () { net.redraw(); });  // measures the candidates' labels
    var cell = 120 / scale, grid = {};
    function keys(b) {
      var out = [];
      for (var gx = Math.floor(b.x0 / cell); gx <= Math.floor(b.x1 / cell); gx++) {
        for (var gy = Math.floor(b.y0 / cell); gy <= Math.floor(b.y1 / cell); gy++) { out.push(gx + ":" + gy); }
      }
      return out;
    }
    function put(b) { keys(b).forEach(function (k) { (grid[k] = grid[k] || []).push(b); }); }
    function clash(b, pad) {
      return keys(b).some(function (k) {
        return (grid[k] || []).some(function (o) { return o.owner !== b.owner && overlaps(o, b, pad); });
      });
    }
    order.slice(0, 12).forEach(function (id) {  // the hubs' shapes stay uncovered
      var body = net.body.nodes[id];
      if (!body || body.options.shape === "box") { return; }
      var r = body.options.size || 10;
      put({ x0: body.x - r, y0: body.y - r, x1: body.x + r, y1: body.y + r, owner: id });
    });
    var hide = [], shown = {};
    cand.forEach(function (id) {
      var body = net.body.nodes[id], lm = body && body.labelModule;
      if (!lm || !lm.size || !lm.size.width) { return; }
      var b = { x0: lm.size.left, y0: lm.size.top, x1: lm.size.left + lm.size.width,
                y1: lm.size.top + lm.size.height, owner: id };
      if (body.options.shape === "box") {
        b = { x0: body.x - body.shape.width / 2, y0: body.y - body.shape.height / 2,
              x1: body.x + body.shape.width / 2, y1: body.y + body.shape.height / 2, owner: id };
      }
      var outside = b.x1 < view.x - half.x || b.x0 > view.x + half.x ||
                    b.y1 < view.y - half.y || b.y0 > view.y + half.y;
      if (typeof id === "string") { put(b); return; }  // a group is never emptied
      if (outside || clash(b, 6 / scale)) { hide.push(id); } else { put(b); shown[id] = true; }
    });
    this.nodes.update(hide.map(function (id) { return { id: id, font: { size: 0 } }; }));
    this.labelled = shown;
    this.measured = cand.length;
  };

  /* ----------------------------------------------------------- interaction ---- */
  View.prototype.wire = function () {
    var self = this, net = this.network, c = this.container;
    net.on("click", function (p) {
      if (!self.active) { self.activate(); }
      if (!p.nodes.length) { self.highlight(null); self.panel(null); return; }
      var id = p.nodes[0];
      if (self.byId[id] && self.byId[id].count != null && self.members[id]) {
        self.toggleGroup(id, true);
        return;
      }
      self.select(id);
    });
    c.addEventListener("dblclick", function (ev) {  // the browser's own: no tap timing
      var rect = c.getBoundingClientRect();
      var id = net.getNodeAt({ x: ev.clientX - rect.left, y: ev.clientY - rect.top });
      var n = id == null ? null : self.byId[id], url = n && safeUrl(n.url);
      if (url) { window.location.assign(url); }
    });
    net.on("hoverNode", function (p) { c.style.cursor = "pointer"; self.highlight(p.node); });
    net.on("blurNode", function () { c.style.cursor = ""; self.highlight(self.selected); });
    var timer = null;
    net.on("zoom", function () {
      if (self.small) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () { self.chooseLabels(); }, 160);
    });
    net.on("dragEnd", function () { if (!self.small) { self.chooseLabels(); } });
    c.addEventListener("wheel", function (ev) {
      if (!ev.ctrlKey || self.active) {
        if (!self.active) { self.hint(); }
        return;
      }
      ev.preventDefault();
      var scale = net.getScale() * (ev.deltaY < 0 ? 1.15 : 1 / 1.15);
      var rect = c.getBoundingClientRect();
      var at = net.DOMtoCanvas({ x: ev.clientX - rect.left, y: ev.clientY - rect.top });
      var view = net.getViewPosition(), k = net.getScale() / scale;
      net.moveTo({ scale: scale, position: { x: at.x + (view.x - at.x) * k, y: at.y + (view.y - at.y) * k },
                   animation: false });
      if (!self.small) { clearTimeout(timer); timer = setTimeout(function () { self.chooseLabels(); }, 160); }
    }, { passive: false });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && self.active) { self.deactivate(); }
    });
    document.addEventListener("pointerdown", function (ev) {
      if (self.active && !self.widget.contains(ev.target)) { self.deactivate(); }
    });
    this.tools();
  };

  View.prototype.activate = function () {
    this.active = true;
    this.widget.classList.add("kg-active");
    this.network.setOptions({ interaction: { zoomView: true, dragView: true } });
  };

  View.prototype.deactivate = function () {
    this.active = false;
    this.widget.classList.remove("kg-active");
    this.network.setOptions({ interaction: { zoomView: false, dragView: true } });
  };

  View.prototype.hint = function () {
    var el = this.widget.querySelector(".kg-hint");
    if (!el) { return; }
    el.classList.add("kg-show");
    clearTimeout(this.hintTimer);
    this.hintTimer = setTimeout(function () { el.classList.remove("kg-show"); }, 1500);
  };

  View.prototype.highlight = function (id) {
    if ((this.visibleIds || []).length > 400) { return; }
    var self = this, near = {};
    if (id != null) {
      near[id] = true;
      this.edges.forEach(function (e) {
        if (e.from === id) { near[e.to] = true; }
        if (e.to === id) { near[e.from] = true; }
      });
    }
    var up = [];
    this.nodes.forEach(function (n) {
      if (n.hidden) { return; }
      var dim = id != null && !near[n.id];
      if (!!n.kgDim !== dim) { up.push({ id: n.id, kgDim: dim, opacity: dim ? 0.2 : 1 }); }
    });
    if (up.length) { this.nodes.update(up); }
    var eu = [];
    this.edges.forEach(function (e) {
      var dim = id != null && e.from !== id && e.to !== id;
      if (!!e.kgDim !== dim) { eu.push({ id: e.id, kgDim: dim, color: Object.assign({}, e.color, { opacity: dim ? 0.15 : 1 }) }); }
    });
    if (eu.length) { this.edges.update(eu); }
    self.highlighted = id;
  };

  View.prototype.select = function (id) {
    this.selected = id;
    this.network.selectNodes([id]);
    this.highlight(id);
    this.panel(id);
  };

  View.prototype.focusNode = function (id) {
    var n = this.nodes.get(id);
    if (!n) { return; }
    if (n.hidden && this.byId[id].grp != null) { this.toggleGroup(this.byId[id].grp, false); }
    this.network.focus(id, { scale: Math.max(this.network.getScale(), 1), animation: false });
    if (!this.small) { this.chooseLabels(); }
    this.select(id);
  };

  View.prototype.toggleGroup = function (gid, open) {
    var was = !!this.expanded[gid];
    this.expanded[gid] = open === undefined ? !was : open;
    if (was === this.expanded[gid]) { return; }
    this.selected = null;
    this.applyFilters(false);
    this.panel(null);
  };

  /* The side panel: details of a node without leaving the view. */
  View.prototype.panel = function (id) {
    var aside = this.widget.querySelector(".kg-panel");
    if (!aside) { return; }
    while (aside.firstChild) { aside.removeChild(aside.firstChild); }
    if (id == null || !this.byId[id]) { aside.hidden = true; return; }
    var n = this.byId[id], self = this;
    var close = document.createElement("button");
    close.type = "button"; close.className = "kg-panel-close";
    close.textContent = text(this.widget, "close", "Stäng");
    close.addEventListener("click", function () { self.panel(null); self.highlight(null); self.network.unselectAll(); });
    aside.appendChild(close);
    var h = document.createElement("h3");
    h.textContent = n.name || n.label;
    aside.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "muted";
    var typeName = text(this.widget, "type-" + n.group, n.group || "");
    var years = n.y0 != null ? (n.y0 === n.y1 || n.y1 == null ? String(n.y0) : n.y0 + "–" + n.y1) : "";
    meta.textContent = typeName + (years ? " · " + years : "");
    aside.appendChild(meta);
    var rels = [];
    this.data.edges.forEach(function (e) {
      var other = e.from === id ? e.to : (e.to === id ? e.from : null);
      if (other == null) { return; }
      var o = self.byId[other];
      var when = e.y0 == null ? text(self.widget, "undated", "odaterad")
        : (e.y0 === e.y1 ? String(e.y0) : e.y0 + "–" + e.y1);
      rels.push({ name: o.name || o.label, url: o.url, rel: e.title || "", when: when, id: other });
    });
    if (rels.length) {
      var ul = document.createElement("ul");
      ul.className = "kg-panel-rels";
      rels.slice(0, 40).forEach(function (r) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button"; b.className = "kg-linklike"; b.textContent = r.name;
        b.addEventListener("click", function () { self.focusNode(r.id); });
        li.appendChild(b);
        var span = document.createElement("span");
        span.className = "muted";
        span.textContent = " · " + [r.rel, r.when].filter(Boolean).join(" · ");
        li.appendChild(span);
        ul.appendChild(li);
      });
      aside.appendChild(ul);
      if (rels.length > 40) {
        var more = document.createElement("p");
        more.className = "muted";
        more.textContent = fmt(text(this.widget, "more", "+{n}"), { n: rels.length - 40 });
        aside.appendChild(more);
      }
    }
    var links = document.createElement("p");
    links.className = "kg-panel-links";
    var url = safeUrl(n.url);
    if (url) {
      var a = document.createElement("a");
      a.href = url; a.textContent = text(this.widget, "open", "Öppna sidan");
      links.appendChild(a);
    }
    if (n.iri && n.iri !== this.data.center) {
      var g = document.createElement("a");
      g.href = "/graf?iri=" + encodeURIComponent(n.iri) + (lang !== "sv" ? "&lang=" + lang : "");
      g.textContent = text(this.widget, "center", "Visa dess grannskap");
      links.appendChild(g);
      if (this.data.center) {
        var p = document.createElement("a");
        p.href = "/analys/vag?fran=" + encodeURIComponent(this.data.center) + "&till=" +
          encodeURIComponent(n.iri) + (lang !== "sv" ? "&lang=" + lang : "");
        p.textContent = text(this.widget, "path", "Hur hänger de ihop?");
        links.appendChild(p);
      }
    }
    aside.appendChild(links);
    aside.hidden = false;
  };

  /* -------------------------------------------------------- count and URL ---- */
  View.prototype.updateCount = function () {
    var el = this.widget.querySelector("[data-count]");
    if (!el) { return; }
    var shown = (this.visibleIds || []).length, edges = this.edges.length;
    var groups = (this.visibleIds || []).filter(function (id) { return typeof id === "string" && /^g\d+$/.test(id); }).length;
    var total = this.data.nodes.length;
    var key = shown - groups < total ? "count-part" : "count";
    el.textContent = fmt(text(this.widget, key, "{nodes} / {total}"),
                         { nodes: shown - groups, edges: edges, total: total, groups: groups }) +
      (groups ? " " + fmt(text(this.widget, groups === 1 ? "count-group-one" : "count-groups", "({groups})"),
                          { groups: groups }) : "");
    this.container.setAttribute("data-nodes", String(shown));
  };

  View.prototype.syncUrl = function () {
    if (!this.widget.hasAttribute("data-url-state") || !window.history.replaceState) { return; }
    var params = new URLSearchParams(window.location.search);
    var hidden = Object.keys(this.hiddenTypes).filter(function (k) { return this.hiddenTypes[k]; }, this);
    if (hidden.length) { params.set("dolj", hidden.join(",")); } else { params.delete("dolj"); }
    if (this.period) {
      params.set("tid", this.period[0] === this.period[1] ? String(this.period[0]) : this.period[0] + "-" + this.period[1]);
    } else { params.delete("tid"); }
    if (!this.showUndated) { params.set("odaterade", "0"); } else { params.delete("odaterade"); }
    var hops = this.data.hops;
    if (hops && this.widget.getAttribute("data-kind") === "neighbourhood") {
      if (hops === 1 && !/^\/graf/.test(window.location.pathname)) { params.delete("hopp"); } else { params.set("hopp", String(hops)); }
    }
    var q = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : "") + window.location.hash);
  };

  /* ------------------------------------------------------------------ tools ---- */
  View.prototype.tools = function () {
    var self = this, w = this.widget;
    w.querySelectorAll("[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var k = b.getAttribute("data-zoom") === "in" ? 1.3 : 1 / 1.3;
        self.network.moveTo({ scale: self.network.getScale() * k, animation: false });
        if (!self.small) { self.chooseLabels(); }
      });
    });
    w.querySelectorAll("[data-fit]").forEach(function (b) {
      b.addEventListener("click", function () { self.fit(); if (!self.small) { self.chooseLabels(); } });
    });
    var done = w.querySelector("[data-done]");
    if (done) { done.addEventListener("click", function () { self.deactivate(); }); }
    var activate = w.querySelector("[data-activate]");
    if (activate) { activate.addEventListener("click", function () { self.activate(); }); }
    this.findBox();
    this.timeControls();
    this.typeToggles();
    this.exports();
    this.hopLinks();
    this.nodeListFocus();
  };

  View.prototype.findBox = function () {
    var input = this.widget.querySelector("[data-find]");
    if (!input) { return; }
    var self = this, list = document.getElementById(input.getAttribute("list"));
    if (list) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      this.data.nodes.slice().sort(function (a, b) {
        return (a.name || a.label).localeCompare(b.name || b.label, "sv");
      }).forEach(function (n) {
        var o = document.createElement("option");
        o.value = n.name || n.label;
        list.appendChild(o);
      });
    }
    function go() {
      var q = input.value.trim().toLocaleLowerCase("sv");
      if (!q) { return; }
      var hit = null;
      self.data.nodes.forEach(function (n) {
        var name = (n.name || n.label).toLocaleLowerCase("sv");
        if (!hit && name === q) { hit = n; }
      });
      self.data.nodes.forEach(function (n) {
        var name = (n.name || n.label).toLocaleLowerCase("sv");
        if (!hit && name.indexOf(q) >= 0) { hit = n; }
      });
      var out = self.widget.querySelector("[data-find-status]");
      if (hit) { self.focusNode(hit.id); if (out) { out.textContent = ""; } }
      else if (out) { out.textContent = text(self.widget, "not-found", "–"); }
    }
    input.addEventListener("change", go);
    input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); go(); } });
  };

  View.prototype.years = function () {
    var lo = Infinity, hi = -Infinity;
    function take(a, b) { if (a != null) { lo = Math.min(lo, a); hi = Math.max(hi, b == null ? a : b); } }
    this.data.edges.forEach(function (e) { take(e.y0, e.y1); });
    this.data.nodes.forEach(function (n) { take(n.y0, n.y1); });
    return lo <= hi ? [lo, hi] : null;
  };

  View.prototype.timeControls = function () {
    var box = this.widget.querySelector("[data-time]");
    var span = this.years();
    if (!box || !span || span[0] === span[1] && !this.period) { return; }
    var self = this;
    var from = box.querySelector("[data-time-from]"), to = box.querySelector("[data-time-to]");
    var out = box.querySelector("[data-time-out]"), undated = box.querySelector("[data-undated]");
    var all = box.querySelector("[data-time-all]");
    [from, to].forEach(function (r) { r.min = span[0]; r.max = span[1]; r.step = 1; });
    var p = this.period || span;
    from.value = Math.max(p[0], span[0]); to.value = Math.min(p[1], span[1]);
    undated.checked = this.showUndated;
    function show() {
      out.textContent = self.period
        ? (self.period[0] === self.period[1] ? String(self.period[0]) : self.period[0] + "–" + self.period[1])
        : text(self.widget, "all-years", span[0] + "–" + span[1]);
      all.disabled = !self.period;
    }
    function change(which) {
      var a = +from.value, b = +to.value;
      if (a > b) { if (which === from) { to.value = a; b = a; } else { from.value = b; a = b; } }
      self.period = (a === span[0] && b === span[1]) ? null : [a, b];
      show();
      self.applyFilters(false);
    }
    from.addEventListener("input", function () { change(from); });
    to.addEventListener("input", function () { change(to); });
    undated.addEventListener("change", function () { self.showUndated = undated.checked; self.applyFilters(false); });
    all.addEventListener("click", function () {
      from.value = span[0]; to.value = span[1]; self.period = null; show(); self.applyFilters(false);
    });
    box.hidden = false;
    show();
  };

  View.prototype.typeToggles = function () {
    var self = this;
    this.widget.querySelectorAll("[data-type-toggle]").forEach(function (b) {
      var key = b.getAttribute("data-type-toggle");
      b.setAttribute("aria-pressed", self.hiddenTypes[key] ? "false" : "true");
      b.addEventListener("click", function () {
        self.hiddenTypes[key] = !self.hiddenTypes[key];
        b.setAttribute("aria-pressed", self.hiddenTypes[key] ? "false" : "true");
        self.applyFilters(false);
      });
    });
  };

  View.prototype.hopLinks = function () {
    var self = this;
    this.widget.querySelectorAll("[data-hops]").forEach(function (link) {
      link.addEventListener("click", function (ev) {
        var src = self.widget.getAttribute("data-src");
        if (!src || !self.data.center) { return; }
        ev.preventDefault();
        var hops = +link.getAttribute("data-hops");
        var url = src + "?iri=" + encodeURIComponent(self.data.center) + "&hopp=" + hops +
          "&lang=" + encodeURIComponent(lang);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
          .then(function (data) {
            self.data = data;
            self.expanded = {};
            self.panel(null);
            self.build();
            self.widget.querySelectorAll("[data-hops]").forEach(function (a) {
              if (a === link) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); }
            });
            self.refreshList();
            self.findBox();
            self.refreshExportLinks();
          })
          .catch(function () { window.location.assign(link.href); });
      });
    });
  };

  View.prototype.refreshExportLinks = function () {
    var self = this;
    this.widget.querySelectorAll("a[data-export-href]").forEach(function (a) {
      a.href = a.getAttribute("data-export-href").replace(/hopp=\d/, "hopp=" + self.data.hops);
    });
    var full = this.widget.querySelector("a.kg-full");  /* "open as a large graph" keeps the hops */
    if (full) { full.href = full.getAttribute("href").replace(/hopp=\d/, "hopp=" + self.data.hops); }
  };

  View.prototype.refreshList = function () {
    var details = this.widget.querySelector(".kg-nodelist");
    if (!details) { return; }
    var ul = details.querySelector("ul");
    var fresh = nodeList(this.data);
    if (ul) { ul.replaceWith(fresh); } else { details.appendChild(fresh); }
    var summary = details.querySelector("summary");
    if (summary) { summary.textContent = summary.textContent.replace(/\d+/, String(this.data.nodes.length)); }
    this.nodeListFocus();
  };

  View.prototype.nodeListFocus = function () {
    var self = this;
    this.widget.querySelectorAll(".kg-nodelist a[data-node-id]").forEach(function (a) {
      if (a.kgWired) { return; }
      a.kgWired = true;
      var id = +a.getAttribute("data-node-id");
      a.addEventListener("focus", function () { if (!self.nodes.get(id) || self.nodes.get(id).hidden) { return; } self.highlight(id); });
      a.addEventListener("blur", function () { self.highlight(self.selected); });
    });
  };

  View.prototype.exports = function () {
    var self = this;
    this.widget.querySelectorAll("[data-export]").forEach(function (b) {
      b.addEventListener("click", function () {
        var kind = b.getAttribute("data-export");
        var name = (self.widget.getAttribute("data-file") || "graf") + "." + kind;
        var href = kind === "png" ? self.network.canvas.frame.canvas.toDataURL("image/png")
          : URL.createObjectURL(new Blob([self.svg()], { type: "image/svg+xml" }));
        var a = document.createElement("a");
        a.href = href; a.download = name;
        document.body.appendChild(a); a.click(); a.remove();
        if (kind !== "png") { setTimeout(function () { URL.revokeObjectURL(href); }, 2000); }
      });
    });
  };

  /* The drawn graph as SVG: shapes, lines and labels at their current places. */
  View.prototype.svg = function () {
    var NS = "http://www.w3.org/2000/svg", net = this.network, self = this;
    var ids = (this.visibleIds || []).filter(function (id) { return !self.nodes.get(id).hidden; });
    var pos = net.getPositions(ids);
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    ids.forEach(function (id) {
      var b = self.box(id) || { x0: -20, y0: -20, x1: 20, y1: 20 };
      minX = Math.min(minX, pos[id].x + b.x0); minY = Math.min(minY, pos[id].y + b.y0);
      maxX = Math.max(maxX, pos[id].x + b.x1); maxY = Math.max(maxY, pos[id].y + b.y1);
    });
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("xmlns", NS);
    svg.setAttribute("viewBox", [minX - 20, minY - 20, maxX - minX + 40, maxY - minY + 40].join(" "));
    svg.setAttribute("font-family", "system-ui, sans-serif");
    var bg = document.createElementNS(NS, "rect");
    bg.setAttribute("x", minX - 20); bg.setAttribute("y", minY - 20);
    bg.setAttribute("width", maxX - minX + 40); bg.setAttribute("height", maxY - minY + 40);
    bg.setAttribute("fill", "#ffffff");
    svg.appendChild(bg);
    this.edges.forEach(function (e) {
      if (!pos[e.from] || !pos[e.to]) { return; }
      var l = document.createElementNS(NS, "line");
      l.setAttribute("x1", pos[e.from].x); l.setAttribute("y1", pos[e.from].y);
      l.setAttribute("x2", pos[e.to].x); l.setAttribute("y2", pos[e.to].y);
      l.setAttribute("stroke", (e.color && e.color.color) || "#9aa5b1");
      l.setAttribute("stroke-width", e.width || 1);
      if (e.dashes) { l.setAttribute("stroke-dasharray", e.dashes.join(" ")); }
      svg.appendChild(l);
    });
    var groups = (this.data.options && this.data.options.groups) || {};
    ids.forEach(function (id) {
      var n = self.nodes.get(id), p = pos[id], body = net.body.nodes[id];
      var style = groups[n.group] || {}, color = style.color || "#c4540a", r = n.size || 10;
      var shape;
      if (n.isGroup) {
        shape = document.createElementNS(NS, "rect");
        var bw = body.shape.width || 120, bh = body.shape.height || 30;
        shape.setAttribute("x", p.x - bw / 2); shape.setAttribute("y", p.y - bh / 2);
        shape.setAttribute("width", bw); shape.setAttribute("height", bh);
        shape.setAttribute("fill", "#ffffff"); shape.setAttribute("stroke", n.color.border);
      } else if (style.shape === "square") {
        shape = document.createElementNS(NS, "rect");
        shape.setAttribute("x", p.x - r); shape.setAttribute("y", p.y - r);
        shape.setAttribute("width", 2 * r); shape.setAttribute("height", 2 * r);
      } else if (style.shape === "dot") {
        shape = document.createElementNS(NS, "circle");
        shape.setAttribute("cx", p.x); shape.setAttribute("cy", p.y); shape.setAttribute("r", r);
      } else {
        shape = document.createElementNS(NS, "polygon");
        var pts = style.shape === "diamond" ? [[0, -r], [r, 0], [0, r], [-r, 0]]
          : style.shape === "triangle" ? [[0, -r], [r, r * 0.8], [-r, r * 0.8]]
          : [[-r / 2, -r], [r / 2, -r], [r, 0], [r / 2, r], [-r / 2, r], [-r, 0]];
        shape.setAttribute("points", pts.map(function (q) { return (p.x + q[0]) + "," + (p.y + q[1]); }).join(" "));
      }
      if (!n.isGroup) { shape.setAttribute("fill", color); }
      svg.appendChild(shape);
      var lm = body && body.labelModule, lines = (lm && lm.lineCount) ? lm.lines : null;
      var fsize = (n.font && n.font.size) || 14;
      if (fsize <= 0) { return; }
      var t = document.createElementNS(NS, "text");
      t.setAttribute("font-size", fsize);
      t.setAttribute("text-anchor", "middle");
      var rows = lines ? lines.map(function (ln) { return ln.blocks.map(function (bl) { return bl.text; }).join(""); })
        : [String(n.label)];
      var top = n.isGroup ? p.y - (rows.length - 1) * fsize * 0.6 : p.y + r + fsize;
      rows.forEach(function (row, i) {
        var span = document.createElementNS(NS, "tspan");
        span.setAttribute("x", p.x); span.setAttribute("y", top + i * fsize * 1.2);
        span.textContent = row;
        t.appendChild(span);
      });
      svg.appendChild(t);
    });
    return new XMLSerializer().serializeToString(svg);
  };

  /* --------------------------------------------------------------- helpers ---- */
  function nodeList(data) {
    var ul = document.createElement("ul");
    data.nodes.forEach(function (n) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.textContent = n.name || n.label;
      a.href = safeUrl(n.url) || "#";
      a.setAttribute("data-node-id", String(n.id));
      li.appendChild(a);
      ul.appendChild(li);
    });
    return ul;
  }

  function lazyList(view) {
    var details = view.widget.querySelector(".kg-nodelist");
    var lazy = details && details.querySelector("ul[data-lazy]");
    if (!lazy) { return; }
    details.addEventListener("toggle", function () {
      if (details.open && lazy.parentNode) { lazy.replaceWith(nodeList(view.data)); view.nodeListFocus(); }
    });
  }

  function init() {
    if (typeof vis === "undefined") { return; }
    document.querySelectorAll("[data-kg-graph]").forEach(function (container) {
      var source = document.getElementById(container.getAttribute("data-kg-graph"));
      if (!source) { return; }
      var view = new View(container, JSON.parse(source.textContent));
      lazyList(view);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
