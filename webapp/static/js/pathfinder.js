/* Path finder: suggestions while typing, from the search API (/api/sok?q=), into the
 * inputs' <datalist>. Labels are set as option values (text, never HTML). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest]");
  if (!form || !window.fetch) { return; }
  var endpoint = form.getAttribute("data-suggest");
  var lang = document.documentElement.getAttribute("lang") || "sv";

  function fill(list, hits) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    hits.forEach(function (hit) {
      if (["projekt", "organisation", "person"].indexOf(hit.kind) < 0) { return; }
      var option = document.createElement("option");
      option.value = hit.label;
      option.label = hit.kind_label || hit.kind;
      list.appendChild(option);
    });
  }

  form.querySelectorAll("input[list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null, last = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = q;
        var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "q=" +
          encodeURIComponent(q) + "&lang=" + encodeURIComponent(lang);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
          .then(function (data) { fill(list, data.hits || []); })
          .catch(function () { /* suggestions are a convenience only */ });
      }, 150);
    });
  });
})();
