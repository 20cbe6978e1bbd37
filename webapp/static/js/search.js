/* Type-ahead for the search box: asks /api/sok?q= and shows a keyboard-friendly list.
   Texts are inserted with textContent only, never as HTML. */
(function () {
  "use strict";
  var input = document.getElementById("sok-q");
  var list = document.getElementById("sok-forslag");
  if (!input || !list || !window.fetch) { return; }
  var endpoint = input.getAttribute("data-suggest");
  var lang = input.getAttribute("data-lang") || "sv";
  var active = -1, items = [], timer = null, seq = 0;

  function close() {
    list.hidden = true; input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant"); active = -1;
  }
  function mark(i) {
    var nodes = list.children;
    for (var j = 0; j < nodes.length; j++) {
      nodes[j].setAttribute("aria-selected", j === i ? "true" : "false");
    }
    active = i;
    if (i >= 0) { input.setAttribute("aria-activedescendant", nodes[i].id); nodes[i].scrollIntoView({block: "nearest"}); }
  }
  function go(i) { if (items[i]) { window.location.href = items[i].url; } }
  function render(data) {
    items = data.hits || [];
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (hit, i) {
      var li = document.createElement("li");
      li.id = "sok-forslag-" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
      var name = document.createElement("span"); name.textContent = hit.label;
      var kind = document.createElement("span"); kind.className = "kind"; kind.textContent = hit.kind_label;
      li.appendChild(name); li.appendChild(kind);
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); go(i); });
      list.appendChild(li);
    });
    if (items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { close(); }
  }
  function ask() {
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    var mine = ++seq;
    fetch(endpoint + "?q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(lang),
          {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {hits: []}; })
      .then(function (data) { if (mine === seq) { render(data); } })
      .catch(function () { close(); });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 120); });
  input.addEventListener("keydown", function (ev) {
    if (list.hidden) { return; }
    if (ev.key === "ArrowDown") { ev.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); mark(Math.max(active - 1, 0)); }
    else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); go(active); }
    else if (ev.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
}());
