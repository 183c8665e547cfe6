// Upload page while the worker checks or imports: poll the status every second, show the phase
// and the rows done, and reload the page (preview, errors or result) once the work has ended.
(function () {
  "use strict";
  const box = document.getElementById("upload-progress");
  if (!box) return;
  const phase = document.getElementById("upload-phase");
  const count = document.getElementById("upload-count");
  const bar = box.querySelector(".progress-bar");
  const number = new Intl.NumberFormat("id-ID");

  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(response.status);
      const state = await response.json();
      if (!state.working) {
        window.location.reload();
        return;
      }
      phase.textContent = state.phase || state.status_label;
      count.textContent = state.done ? number.format(state.done) + (state.total ? " / " + number.format(state.total) : "") : "";
      if (state.percent !== null) {
        bar.style.width = state.percent + "%";
        bar.parentElement.setAttribute("aria-valuenow", state.percent);
      }
    } catch (error) {
      // A lost connection or a restart: try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 1000);
})();
