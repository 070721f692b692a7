// Charts of the executive project dashboard: projects by stage, and the disbursement rate by
// province (or programme) against the share of the fiscal year elapsed. The rates come ranked,
// highest first (the 10 highest and lowest of many, with a "…" gap); every number is written
// with thousands separators, in the axes and the tooltips alike.
(function () {
  "use strict";
  const source = document.getElementById("project-dashboard-charts");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const decimal = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    maximumFractionDigits: 1,
  });
  const percent = function (value) { return decimal.format(value) + "%"; };
  document.fonts.ready.then(function () {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    const stages = document.getElementById("project-stage-chart");
    if (stages) {
      new Chart(stages, {
        type: "bar",
        data: {
          labels: data.stages.labels,
          datasets: [{ data: data.stages.data, backgroundColor: "#0b4f8a" }],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: function (context) { return number.format(context.parsed.y); } } },
          },
          scales: { y: { ticks: { callback: function (value) { return number.format(value); } } } },
        },
      });
    }
    const rates = document.getElementById("project-rate-chart");
    if (rates) {
      new Chart(rates, {
        data: {
          labels: data.rates.labels,
          datasets: [
            { type: "bar", label: rates.getAttribute("aria-label"), data: data.rates.data, backgroundColor: "#0b4f8a" },
            {
              type: "line",
              label: "%",
              data: data.rates.labels.map(function () { return data.rates.elapsed; }),
              borderColor: "#c0392b",
              pointRadius: 0,
              borderDash: [6, 4],
            },
          ],
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            legend: { display: false },
            tooltip: {
              filter: function (item) { return item.datasetIndex === 0 && item.raw !== null; },
              callbacks: { label: function (context) { return percent(context.parsed.x); } },
            },
          },
          scales: {
            x: { min: 0, max: 100, ticks: { callback: percent } },
            y: { ticks: { autoSkip: false } },
          },
        },
      });
    }
  });
})();
