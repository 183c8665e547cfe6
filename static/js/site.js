// Behaviour every page shares (included once, at the end of base.html).
//  - A button or form with data-confirm="question" asks before it is sent: submitting a month
//    locks it, "Hapus" deletes at once. Cancelled, nothing is sent (and the page's own submit
//    handlers, e.g. the entry grid's "leave without saving?" bookkeeping, never hear of it).
//  - Signing out forgets the entry grids' drafts kept in this browser (static/js/entry_draft.js):
//    the next person at a shared office computer must not find them.
(function () {
  "use strict";

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      const submitter = event.submitter;
      const question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      if (/\/logout\/?$/.test(new URL(form.action, window.location.href).pathname)) forgetDrafts();
    },
    true, // capture: before the form's own listeners
  );

  function forgetDrafts() {
    try {
      const keys = [];
      for (let i = 0; i < window.localStorage.length; i++) keys.push(window.localStorage.key(i));
      keys.filter((key) => key && key.startsWith("ikma-draft:")).forEach((key) => window.localStorage.removeItem(key));
    } catch (error) {
      // Storage turned off in this browser: there is nothing to forget.
    }
  }
})();
