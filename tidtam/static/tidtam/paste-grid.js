// Pasting cells copied from Excel into a grid of inputs (<table data-paste-grid>, each input with
// data-row and data-col): a block of tab- and line-separated values fills the inputs from the one
// pasted into, down and to the right, as Excel would. A single value pastes as usual. No inline
// script (CSP).
(function () {
  "use strict";

  function cells(table) {
    var grid = {};
    table.querySelectorAll("input[data-row][data-col]").forEach(function (input) {
      grid[input.dataset.row + ":" + input.dataset.col] = input;
    });
    return grid;
  }

  function onPaste(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-row][data-col]")) {
      return;
    }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text.replace(/\s+$/, ""))) {
      return;
    }
    event.preventDefault();
    var grid = cells(input.closest("table"));
    var row = Number(input.dataset.row);
    var col = Number(input.dataset.col);
    text.replace(/\r/g, "").replace(/\n+$/, "").split("\n").forEach(function (line, i) {
      line.split("\t").forEach(function (value, j) {
        var target = grid[(row + i) + ":" + (col + j)];
        if (target && !target.disabled) {
          target.value = value.trim();
          target.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
    });
  }

  document.querySelectorAll("table[data-paste-grid]").forEach(function (table) {
    table.addEventListener("paste", onPaste);
  });
})();
