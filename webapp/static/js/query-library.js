/* The query library's search box filters the list while typing (the form works without
   JavaScript too: ?q=). Words must all occur; case and accents are ignored. */
(function () {
  "use strict";
  var box = document.getElementById("fragor-sok");
  if (!box) { return; }
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  var items = Array.prototype.slice.call(document.querySelectorAll(".query-list li[data-search]"));
  var texts = items.map(function (li) { return fold(li.getAttribute("data-search") || ""); });
  var status = document.querySelector(".library-status");
  box.addEventListener("input", function () {
    var words = fold(box.value).split(" ").filter(Boolean);
    var shown = 0;
    items.forEach(function (li, i) {
      var ok = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      li.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.querySelectorAll(".query-group").forEach(function (g) {
      g.hidden = !g.querySelector(".query-list li:not([hidden])");
    });
    if (status) {
      status.textContent = words.length ? shown + " / " + items.length : "";
    }
  });
})();
