/* The main menu on a phone: folded behind a "Meny" button so the header stays one or two
 * rows high. Loaded in <head> (a file, not inline: the CSP has no unsafe-inline), so the
 * html element gets its class before the header is drawn and the menu never flashes open.
 * Without JavaScript the menu simply stays open. Wide screens never see the button. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js-menu");

  function wire() {
    var button = document.querySelector(".menu-toggle");
    var header = document.querySelector(".site-header");
    if (!button || !header) { return; }
    function set(open) {
      header.classList.toggle("menu-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    set(false);
    button.addEventListener("click", function () {
      var open = !header.classList.contains("menu-open");
      set(open);
      if (open) {
        var first = header.querySelector(".main-nav a");
        if (first) { first.focus(); }
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && header.classList.contains("menu-open")) {
        set(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", wire); }
  else { wire(); }
})();
