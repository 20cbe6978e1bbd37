/* Samverkansgrafen: draws the graph views with vis-network (served locally).
 *
 * Every element with data-kg-graph="ID" gets a network built from the JSON in the
 * <script type="application/json" id="ID">. Positions come from the server, physics is
 * off. Titles become DOM text nodes (never HTML); labels are drawn on the canvas.
 * A click on a node opens its page. The network is exposed as element.kgNetwork and in
 * window.kgGraphs for tests and tools.
 */
(function () {
  "use strict";

  function tip(text) {
    var el = document.createElement("div");
    el.className = "kg-tip";
    el.textContent = text == null ? "" : String(text);
    return el;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^(\/(?!\/)|https?:\/\/)/.test(url) ? url : null;
  }

  function prepare(data) {
    var nodes = data.nodes.map(function (n) {
      var copy = Object.assign({}, n);
      copy.title = tip(n.title || n.label);
      return copy;
    });
    var edges = data.edges.map(function (e, i) {
      var copy = Object.assign({ id: "e" + i }, e);
      if (e.title) { copy.title = tip(e.title); }
      return copy;
    });
    return { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) };
  }

  function draw(container, data) {
    var sets = prepare(data);
    if (container.kgNetwork) { container.kgNetwork.destroy(); }
    container.removeAttribute("data-ready");
    if (window.performance && performance.mark) { performance.mark("kg-graph-start"); }
    var network = new vis.Network(container, sets, data.options || {});
    network.once("afterDrawing", function () {
      if (window.performance && performance.mark) { performance.mark("kg-graph-drawn"); }
      container.setAttribute("data-ready", "1");
      container.setAttribute("data-nodes", String(sets.nodes.length));
    });
    network.on("click", function (params) {
      if (!params.nodes.length) { return; }
      var node = sets.nodes.get(params.nodes[0]);
      var url = node && safeUrl(node.url);
      if (url) { window.location.assign(url); }
    });
    network.on("hoverNode", function () { container.style.cursor = "pointer"; });
    network.on("blurNode", function () { container.style.cursor = ""; });
    container.kgNetwork = network;
    container.kgNodes = sets.nodes;
    window.kgGraphs = window.kgGraphs || {};
    window.kgGraphs[container.id] = network;
    return network;
  }

  function nodeList(data) {
    var ul = document.createElement("ul");
    data.nodes.forEach(function (n) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.textContent = n.label;
      a.href = safeUrl(n.url) || "#";
      li.appendChild(a);
      ul.appendChild(li);
    });
    return ul;
  }

  function lazyList(container, data) {
    var details = document.querySelector('[data-list="' + container.id + '"]');
    var lazy = details && details.querySelector("ul[data-lazy]");
    if (!lazy) { return; }
    details.addEventListener("toggle", function () {
      if (details.open && lazy.parentNode) { lazy.replaceWith(nodeList(data)); }
    });
  }

  function switchHops(container, hops, link) {
    var src = container.getAttribute("data-src");
    var iri = container.getAttribute("data-iri");
    var url = src + "?iri=" + encodeURIComponent(iri) + "&hopp=" + hops;
    var lang = document.documentElement.getAttribute("lang");
    if (lang) { url += "&lang=" + encodeURIComponent(lang); }
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        draw(container, data);
        var group = link.parentNode;
        group.querySelectorAll("[data-hops]").forEach(function (a) {
          if (a === link) { a.setAttribute("aria-current", "true"); }
          else { a.removeAttribute("aria-current"); }
        });
        var list = document.querySelector('[data-list="' + container.id + '"] ul');
        if (list) { list.replaceWith(nodeList(data)); }
        var summary = document.querySelector('[data-list="' + container.id + '"] summary');
        if (summary) { summary.textContent = summary.textContent.replace(/\d+/, data.nodes.length); }
      })
      .catch(function () { window.location.assign(link.href); });
  }

  function init() {
    if (typeof vis === "undefined") { return; }
    document.querySelectorAll("[data-kg-graph]").forEach(function (container) {
      var source = document.getElementById(container.getAttribute("data-kg-graph"));
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      draw(container, data);
      lazyList(container, data);
      if (container.getAttribute("data-live")) {
        var section = container.closest(".kg-graph") || document;
        section.querySelectorAll("[data-hops]").forEach(function (link) {
          link.addEventListener("click", function (ev) {
            ev.preventDefault();
            switchHops(container, link.getAttribute("data-hops"), link);
          });
        });
      }
    });
    document.querySelectorAll("[data-fit]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-fit"));
        if (target && target.kgNetwork) { target.kgNetwork.fit({ animation: false }); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
