/* Charts of the home page (Chart.js, served from node_modules like Bootstrap).
 *
 * The data come from {{ ...|json_script }} elements and this file is the only script: no inline
 * JS, so a strict Content-Security-Policy can forbid it. Without JS (or without Chart.js) the
 * tables under each chart stay open and the page reads the same. */
(function () {
  "use strict";

  // Choosing a year or an authority shows it at once (the button stays for use without JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  });

  if (typeof window.Chart === "undefined") return;

  const language = document.documentElement.lang || "id";
  const decimal = new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const compact = new Intl.NumberFormat(language, { notation: "compact", maximumFractionDigits: 2 });
  const whole = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
  // Indonesian writes "97,97 %", English "97.97%".
  const percent = function (value) {
    return decimal.format(value) + (language.startsWith("id") ? " %" : "%");
  };
  const rupiah = function (value) {
    return (language.startsWith("id") ? "Rp" : "IDR ") + whole.format(value);
  };

  function read(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // Draws the ranking's average as a vertical line across the bars.
  const averageLine = {
    id: "averageLine",
    afterDatasetsDraw: function (chart, _args, options) {
      if (options.value === null || options.value === undefined) return;
      const x = chart.scales.x.getPixelForValue(options.value);
      const area = chart.chartArea;
      const context = chart.ctx;
      context.save();
      context.strokeStyle = "#dc3545";
      context.setLineDash([5, 4]);
      context.lineWidth = 2;
      context.beginPath();
      context.moveTo(x, area.top);
      context.lineTo(x, area.bottom);
      context.stroke();
      context.fillStyle = "#dc3545";
      context.font = "12px sans-serif";
      context.textAlign = "center";
      // Above the bars, in the padding the chart keeps for it.
      context.fillText(options.label + " " + percent(options.value), x, area.top - 6);
      context.restore();
    },
  };

  function provinces(canvas, data) {
    const values = data.values.map(Number);
    const lowest = Math.min.apply(null, values);
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: values, backgroundColor: data.colors, borderColor: "#495057", borderWidth: 1 }],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        layout: { padding: { top: 20 } },
        animation: false,
        scales: {
          // Year-end percentages lie within a few points: an axis from 0 would flatten them.
          x: { min: Math.max(0, Math.floor((lowest - 5) / 5) * 5), max: 100, ticks: { callback: percent } },
          y: { ticks: { autoSkip: false, font: { size: 11 } } },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (item) { return percent(item.parsed.x); } } },
          averageLine: { value: data.average === null ? null : Number(data.average), label: data.averageLabel },
        },
        onClick: function (_event, elements) {
          if (elements.length && data.urls[elements[0].index]) window.location.assign(data.urls[elements[0].index]);
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
      },
      plugins: [averageLine],
    });
  }

  function scurve(canvas, data) {
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.rpdLabel, data: data.rpd, borderColor: "#6c757d", backgroundColor: "#6c757d", borderDash: [6, 4], tension: 0.2 },
          { label: data.realisasiLabel, data: data.realisasi, borderColor: "#0d6efd", backgroundColor: "#0d6efd", tension: 0.2 },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { callback: function (value) { return compact.format(value); } } } },
        plugins: {
          tooltip: {
            callbacks: { label: function (item) { return item.dataset.label + ": " + rupiah(item.parsed.y); } },
          },
        },
      },
    });
  }

  const builders = { provinces: provinces, scurve: scurve };
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const build = builders[canvas.dataset.chart];
    const data = read(canvas.dataset.source);
    if (!build || !data) return;
    const box = canvas.closest("[data-chart-box]");
    box.hidden = false;
    build(canvas, data);
    // The chart now shows the figures; the table stays one click away.
    const table = box.parentElement.querySelector("details.chart-data");
    if (table) table.open = false;
  });
})();
