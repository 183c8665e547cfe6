// Drafts of the entry grids (realization of a month, RPD of a year) kept in this browser, so that
// nothing typed is lost when the session ends meanwhile (30 idle minutes: "Simpan" then leads to
// the sign-in page, which brings the officer back to the grid with the stored amounts).
//  - Every keystroke stores the grid's amounts in localStorage under the form's data-draft-key,
//    which names the user (a shared office computer: one person's draft is never offered to
//    another; signing out forgets them all, static/js/site.js), the satker, the year and month.
//  - Opening the grid with a draft that differs from what the page shows puts the draft back,
//    says so (data-draft-message, with the time it was typed) and offers to throw it away.
//  - The draft is forgotten once the server has stored the grid (data-draft-saved on the page
//    after a successful save) and when the grid can no longer be edited (no amount inputs).
(function () {
  "use strict";

  function storage() {
    try {
      const store = window.localStorage;
      store.getItem("ikma-draft:probe");
      return store;
    } catch (error) {
      return null; // storage turned off (private mode of some browsers): no drafts, no errors
    }
  }

  // "Rp 1.250.000" and "1250000" are the same amount: a draft differs only by what it means.
  const normal = (value) => String(value || "").replace(/\s+/g, "").replace(/^[Rr]p\.?/, "").replace(/\./g, "");

  function setUp(form, store) {
    const key = form.dataset.draftKey;
    const inputs = Array.from(form.querySelectorAll("input.rupiah")).filter((input) => !input.disabled && !input.readOnly);
    if (form.hasAttribute("data-draft-saved") || !inputs.length) {
      store.removeItem(key);
      if (!inputs.length) return;
    }

    function save() {
      const values = {};
      inputs.forEach((input) => (values[input.name] = input.value));
      try {
        store.setItem(key, JSON.stringify({ savedAt: Date.now(), values: values }));
      } catch (error) {
        // Storage full: the form itself still works.
      }
    }

    let draft = null;
    try {
      draft = JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      store.removeItem(key);
    }
    if (draft && draft.values) {
      const changed = inputs.filter((input) => input.name in draft.values && normal(draft.values[input.name]) !== normal(input.value));
      if (changed.length) restore(form, inputs, changed, draft, store, key);
    }
    inputs.forEach((input) => {
      input.addEventListener("input", save);
      input.addEventListener("change", save);
    });
  }

  function restore(form, inputs, changed, draft, store, key) {
    const shown = new Map(inputs.map((input) => [input, input.value]));
    changed.forEach((input) => {
      input.value = draft.values[input.name];
      input.classList.add("draft-restored");
      // The grid's totals (static/js/entry_grid.js) follow, as if typed.
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const when = new Date(draft.savedAt || Date.now()).toLocaleString(document.documentElement.lang || "id", {
      dateStyle: "medium",
      timeStyle: "short",
    });
    const notice = document.createElement("div");
    notice.className = "alert alert-warning d-flex flex-wrap gap-2 align-items-center";
    notice.setAttribute("role", "status");
    notice.dataset.draftNotice = "";
    const text = document.createElement("span");
    text.textContent = (form.dataset.draftMessage || "").replace("%(time)s", when);
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-secondary";
    discard.textContent = form.dataset.draftDiscard || "";
    discard.addEventListener("click", () => {
      changed.forEach((input) => {
        input.value = shown.get(input);
        input.classList.remove("draft-restored");
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      store.removeItem(key);
      notice.remove();
    });
    notice.append(text, discard);
    form.prepend(notice);
  }

  const store = storage();
  if (store) document.querySelectorAll("form[data-draft-key]").forEach((form) => setUp(form, store));
})();
