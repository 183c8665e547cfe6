// Entry grids (realization of a month, RPD of a year): a month's typing without surprises.
//  - Totals follow the typing: a row's total ([data-row-total], checked against data-row-target
//    when given), what remains of a row ([data-row-remaining]: data-limit - data-used - the row),
//    a column's total in the totals row ([data-col-total], the column of its own cell), the grand
//    total ([data-grand-total]) and the total remaining ([data-remaining-total]).
//  - Enter moves to the same column of the next line (Shift+Enter: the previous line) instead of
//    submitting the form; after the last line it goes to the top of the next column, after the
//    last input to the form's first button.
//  - Leaving the page with unsaved changes asks first; submitting the grid's own form does not.
//  - Pasting several lines (a column copied from Excel) into a cell fills the cells below it.
// Amounts are read as the server reads them (core/formats.py): 1250000, 1.250.000, Rp 1.250.000,
// Rp. 1.250.000,-, 1.250.000,00, 1,250,000; shown in the Indonesian style. BigInt: sums of large amounts stay
// exact.
(function () {
  "use strict";

  const GROUPED = /^[0-9]{1,3}(\.[0-9]{3})+$/;
  const PLAIN = /^[0-9]+$/;
  const COMMA_GROUPED = /^([0-9]{1,3}(?:,[0-9]{3})+)(?:\.([0-9]{1,2}))?$/;

  const MAX_RUPIAH = 10n ** 15n;

  // Whole rupiah as a BigInt, 0n for an empty cell, null for what the server would refuse.
  function parseRupiah(text) {
    let cleaned = String(text || "").replace(/\s+/g, "").replace(/^[Rr]p\.?/, "");
    if (cleaned.endsWith(",-")) cleaned = cleaned.slice(0, -2); // "Rp. 1.250.000,-"
    if (cleaned === "") return 0n;
    // Comma thousands separators where they cannot mean sen (core/formats.py): "1,250,000",
    // "1,250.00"; a single group ("1,250") is ambiguous and refused, as the server does.
    const english = COMMA_GROUPED.exec(cleaned);
    if (english) {
      if ((english[1].match(/,/g) || []).length === 1 && english[2] === undefined) return null;
      if (english[2] !== undefined && /[1-9]/.test(english[2])) return null;
      cleaned = english[1].replace(/,/g, ".");
    }
    const parts = cleaned.split(",");
    if (parts.length > 2) return null;
    const whole = parts[0];
    const fraction = parts.length === 2 ? parts[1] : "";
    if (fraction && (!PLAIN.test(fraction) || /[1-9]/.test(fraction))) return null;
    if (!(PLAIN.test(whole) || GROUPED.test(whole))) return null;
    const value = BigInt(whole.replace(/\./g, ""));
    return value < MAX_RUPIAH ? value : null;
  }

  function formatNumber(value) {
    const sign = value < 0n ? "-" : "";
    const digits = (value < 0n ? -value : value).toString();
    return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  // A sum over parsed values, or null when any of them could not be read.
  function sum(values) {
    let total = 0n;
    for (const value of values) {
      if (value === null) return null;
      total += value;
    }
    return total;
  }

  function show(cell, value) {
    if (cell) cell.textContent = value === null ? "-" : formatNumber(value);
  }

  function setUp(table) {
    const inputs = Array.from(table.querySelectorAll("tbody input.rupiah"));
    if (!inputs.length) return;
    const form = table.closest("form");
    const rows = Array.from(table.tBodies).flatMap((body) => Array.from(body.rows));
    const columnOf = (input) => input.closest("td").cellIndex;
    const rowOf = (input) => input.closest("tr");
    const valueOf = new Map();

    function read(input) {
      const value = parseRupiah(input.value);
      valueOf.set(input, value);
      input.classList.toggle("text-danger", value === null);
      return value;
    }

    function recompute() {
      const remainders = [];
      for (const row of rows) {
        const rowValues = inputs.filter((input) => rowOf(input) === row).map((input) => valueOf.get(input));
        if (!rowValues.length) continue;
        const rowTotal = sum(rowValues);
        const totalCell = row.querySelector("[data-row-total]");
        show(totalCell, rowTotal);
        if (totalCell && totalCell.dataset.rowTarget !== undefined) {
          const target = parseRupiah(totalCell.dataset.rowTarget);
          totalCell.classList.toggle("text-danger", rowTotal !== target);
          totalCell.classList.toggle("text-success", rowTotal === target);
        }
        const remainingCell = row.querySelector("[data-row-remaining]");
        if (remainingCell) {
          const limit = parseRupiah(remainingCell.dataset.limit);
          const used = parseRupiah(remainingCell.dataset.used);
          const remaining = rowTotal === null || limit === null || used === null ? null : limit - used - rowTotal;
          show(remainingCell, remaining);
          remainingCell.classList.toggle("text-danger", remaining !== null && remaining < 0n);
          remainders.push(remaining);
        }
      }
      table.querySelectorAll("tfoot [data-col-total]").forEach((cell) => {
        show(cell, sum(inputs.filter((input) => columnOf(input) === cell.cellIndex).map((input) => valueOf.get(input))));
      });
      table.querySelectorAll("tfoot [data-grand-total]").forEach((cell) => show(cell, sum(inputs.map((i) => valueOf.get(i)))));
      table.querySelectorAll("tfoot [data-remaining-total]").forEach((cell) => show(cell, sum(remainders)));
    }

    // Spreadsheet order: down a column, then the next column; disabled (frozen) cells are skipped.
    const order = inputs.filter((input) => !input.disabled).sort((a, b) => columnOf(a) - columnOf(b) || rows.indexOf(rowOf(a)) - rows.indexOf(rowOf(b)));

    function move(input, step) {
      const next = order[order.indexOf(input) + step];
      if (next) {
        next.focus();
        next.select();
      } else if (step > 0 && form) {
        const button = form.querySelector("button[type=submit], button:not([type])");
        if (button) button.focus();
      }
    }

    const initial = new Map(inputs.map((input) => [input, parseRupiah(input.defaultValue)]));
    const isDirty = () => inputs.some((input) => valueOf.get(input) !== initial.get(input));
    let submitting = false;

    inputs.forEach((input) => {
      read(input);
      // Entering a cell selects its amount, so typing replaces the 0 rather than adding to it
      // (the mouseup right after a click would otherwise put the caret back).
      let clickedIn = false;
      input.addEventListener("mousedown", () => (clickedIn = document.activeElement !== input));
      input.addEventListener("focus", () => input.select());
      input.addEventListener("mouseup", (event) => {
        if (clickedIn) event.preventDefault();
        clickedIn = false;
      });
      input.addEventListener("input", () => {
        read(input);
        recompute();
      });
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
        event.preventDefault();
        move(input, event.shiftKey ? -1 : 1);
      });
      // Typed 1250000 reads back as 1.250.000 once the cell is left.
      input.addEventListener("change", () => {
        const value = read(input);
        if (value !== null && input.value.trim() !== "") input.value = formatNumber(value);
      });
    });
    recompute();

    // A column copied from Excel (lines, cells separated by tabs) pasted into one cell fills it
    // and the cells below it, and the columns to its right for several columns; frozen or
    // read-only cells keep their amount (their value is skipped, not shifted to the next line).
    const editable = (input) => input && !input.disabled && !input.readOnly;
    const cellAt = (row, column) => inputs.find((input) => rowOf(input) === row && columnOf(input) === column);
    const columns = Array.from(new Set(inputs.map(columnOf))).sort((a, b) => a - b);
    const inputRows = rows.filter((row) => inputs.some((input) => rowOf(input) === row));
    inputs.forEach((input) => {
      input.addEventListener("paste", (event) => {
        const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
        if (!/[\t\r\n]/.test(text.replace(/[\r\n]+$/, ""))) return; // one amount: the browser pastes it
        event.preventDefault();
        const lines = text.replace(/[\r\n]+$/, "").split(/\r\n|\r|\n/).map((line) => line.split("\t"));
        const firstRow = inputRows.indexOf(rowOf(input));
        const firstColumn = columns.indexOf(columnOf(input));
        const filled = [];
        lines.forEach((cells, i) => {
          const row = inputRows[firstRow + i];
          if (!row) return;
          cells.forEach((cell, j) => {
            const target = columns[firstColumn + j] === undefined ? null : cellAt(row, columns[firstColumn + j]);
            if (!editable(target)) return;
            target.value = cell.trim();
            read(target);
            filled.push(target);
          });
        });
        recompute();
        // Others listening to the cells (the draft kept in this browser) hear of the change.
        filled.forEach((target) => target.dispatchEvent(new Event("change", { bubbles: true })));
      });
    });

    if (form) form.addEventListener("submit", () => (submitting = true));
    // Back to this page from the browser's cache after a submit: it asks again.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) submitting = false;
    });
    window.addEventListener("beforeunload", (event) => {
      if (submitting || !isDirty()) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  document.querySelectorAll("table[data-entry-grid]").forEach(setUp);
})();
