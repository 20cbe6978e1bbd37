/* Sortable result tables: click (or press Enter/Space on) a column header to sort by it;
   a second click reverses. Numbers sort as numbers (cells carry data-sort). No dependencies. */
(function () {
  "use strict";
  var collator = new Intl.Collator("sv", { numeric: true, sensitivity: "base" });

  function key(cell) {
    return cell ? cell.getAttribute("data-sort") || "" : "";
  }

  function compare(a, b, numeric) {
    if (numeric) {
      var x = parseFloat(a), y = parseFloat(b);
      if (!isNaN(x) && !isNaN(y)) { return x - y; }
      if (isNaN(x) !== isNaN(y)) { return isNaN(x) ? 1 : -1; }
    }
    if (a === "" || b === "") { return a === b ? 0 : (a === "" ? 1 : -1); }
    return collator.compare(a, b);
  }

  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var numeric = rows.some(function (r) {
      return r.cells[index] && r.cells[index].classList.contains("cell-number");
    });
    rows.sort(function (r1, r2) {
      var c = compare(key(r1.cells[index]), key(r2.cells[index]), numeric);
      return ascending ? c : -c;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
  }

  function init(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = th.querySelector("button.sort");
      if (button) {
        button.addEventListener("click", function () { sortBy(table, index, th); });
      }
    });
  }

  document.querySelectorAll("table.sortable").forEach(init);
})();
