// Review page of a document read for ingest: "accept all" / "leave all" buttons (the page
// works without them; they only set the radio buttons).
(function () {
  "use strict";
  var bulk = document.querySelector(".ingest-proposals .bulk");
  if (!bulk) { return; }
  bulk.hidden = false;
  bulk.addEventListener("click", function (ev) {
    var button = ev.target.closest("button[data-all]");
    if (!button) { return; }
    var value = button.getAttribute("data-all");
    document.querySelectorAll('.ingest-proposals input[type="radio"][value="' + value + '"]').forEach(function (r) {
      r.checked = true;
    });
  });
})();
