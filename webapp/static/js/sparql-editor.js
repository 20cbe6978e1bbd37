/* The SPARQL editor: line numbers beside the textarea, Tab indents (Shift+Tab outdents),
   Ctrl/Cmd+Enter runs the query, and a syntax error's position is selected. Vanilla JS. */
(function () {
  "use strict";
  var area = document.getElementById("query");
  var form = document.getElementById("sparql-form");
  if (!area || !form) { return; }
  var box = area.parentElement;
  var gutter = box.querySelector(".gutter");
  var INDENT = "  ";

  function renumber() {
    var n = area.value.split("\n").length;
    var out = [];
    for (var i = 1; i <= n; i++) { out.push(i); }
    gutter.textContent = out.join("\n");
    gutter.scrollTop = area.scrollTop;
  }

  function lineStart(text, pos) { return text.lastIndexOf("\n", pos - 1) + 1; }

  function indent(outdent) {
    var text = area.value, start = area.selectionStart, end = area.selectionEnd;
    var first = lineStart(text, start);
    if (start === end && !outdent) {
      area.setRangeText(INDENT, start, end, "end");
      return;
    }
    var block = text.slice(first, end);
    var lines = block.split("\n");
    var changed = lines.map(function (l) {
      if (!outdent) { return INDENT + l; }
      return l.indexOf(INDENT) === 0 ? l.slice(INDENT.length) : l.replace(/^ /, "");
    }).join("\n");
    area.setRangeText(changed, first, end, "select");
  }

  area.addEventListener("keydown", function (e) {
    if (e.key === "Tab" && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      indent(e.shiftKey);
      renumber();
    } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    } else if (e.key === "Escape") {
      area.blur();  /* leaves the Tab trap for keyboard users */
    }
  });
  area.addEventListener("input", renumber);
  area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });

  function selectError() {
    var line = parseInt(box.getAttribute("data-error-line"), 10);
    if (!line) { return; }
    var col = parseInt(box.getAttribute("data-error-column"), 10) || 1;
    var lines = area.value.split("\n");
    var pos = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) { pos += lines[i].length + 1; }
    pos = Math.min(pos + col - 1, area.value.length);
    area.focus();
    area.setSelectionRange(pos, Math.min(pos + 1, area.value.length));
  }

  renumber();
  selectError();
})();
