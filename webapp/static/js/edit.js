/* Edit forms: type-ahead for entity fields (a <datalist> filled from /redigera/api/entiteter),
   "add a row" for relation groups, and showing only the chosen kind of source.
   Everything works without this script; texts are set with textContent/value only. */
(function () {
  "use strict";
  var timers = new WeakMap();

  function fill(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var q = input.value.trim();
    if (!list || q.length < 2 || !window.fetch) { return; }
    var url = "/redigera/api/entiteter?q=" + encodeURIComponent(q) +
      "&klass=" + encodeURIComponent(input.getAttribute("data-classes") || "");
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {hits: []}; })
      .then(function (data) {
        while (list.firstChild) { list.removeChild(list.firstChild); }
        (data.hits || []).forEach(function (hit) {
          var opt = document.createElement("option");
          opt.value = hit.value;
          opt.label = hit.curie;
          list.appendChild(opt);
        });
      })
      .catch(function () {});
  }

  function bind(root) {
    root.querySelectorAll("input.typeahead").forEach(function (input) {
      input.addEventListener("input", function () {
        clearTimeout(timers.get(input));
        timers.set(input, setTimeout(function () { fill(input); }, 150));
      });
    });
  }

  function nextIndex(group) {
    var max = -1;
    group.querySelectorAll(".rows > .row").forEach(function (row) {
      var n = parseInt(row.getAttribute("data-row"), 10);
      if (n > max) { max = n; }
    });
    return max + 1;
  }

  document.querySelectorAll("fieldset.group").forEach(function (group) {
    var button = group.querySelector(".add-row");
    var template = group.querySelector("template.row-template");
    if (!button || !template) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var n = String(nextIndex(group));
      var html = template.innerHTML.split("__n__").join(n);
      var holder = document.createElement("div");
      holder.innerHTML = html;  /* the template is our own markup, escaped by the server */
      var row = holder.firstElementChild;
      group.querySelector(".rows").appendChild(row);
      bind(row);
      var first = row.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
  });

  var kinds = document.querySelectorAll("input[name=kalla]");
  function showSource() {
    var chosen = document.querySelector("input[name=kalla]:checked");
    document.querySelectorAll(".source-part").forEach(function (part) {
      part.hidden = !chosen || part.getAttribute("data-kind") !== chosen.value;
    });
  }
  kinds.forEach(function (r) { r.addEventListener("change", showSource); });
  if (kinds.length) { showSource(); }
  bind(document);
})();
