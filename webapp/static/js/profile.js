/* Profiles: filter an organisation's projects table by role, and show the first rows only
 * until "show all" (without JavaScript every row is shown). */
(function () {
  "use strict";
  document.querySelectorAll("[data-profile-projects]").forEach(function (section) {
    var rows = Array.prototype.slice.call(section.querySelectorAll("tbody tr"));
    var more = section.querySelector("[data-show-all]");
    var role = "", all = !more;
    function show() {
      rows.forEach(function (tr) {
        var roles = (tr.getAttribute("data-roles") || "").split(" ");
        var fits = !role || roles.indexOf(role) >= 0 || (role === "-" && roles.join("") === "");
        tr.hidden = !fits || (!all && !role && tr.hasAttribute("data-more"));
      });
      if (more) { more.hidden = all || !!role; }
    }
    section.querySelectorAll("[data-role]").forEach(function (b) {
      b.addEventListener("click", function () {
        role = b.getAttribute("data-role");
        section.querySelectorAll("[data-role]").forEach(function (o) {
          o.setAttribute("aria-pressed", o === b ? "true" : "false");
        });
        show();
      });
    });
    if (more) { more.addEventListener("click", function () { all = true; show(); }); }
    show();
  });
})();
