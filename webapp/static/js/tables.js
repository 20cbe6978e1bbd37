// Tables (webapp/templates/tables/table.html): on a phone, facets start closed unless one of
// their values is chosen, so the table comes first. Works without JavaScript too.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 800px)").matches) return;
  document.querySelectorAll("details.facet").forEach(function (d) {
    d.open = d.querySelector("li.selected") !== null;
  });
})();
