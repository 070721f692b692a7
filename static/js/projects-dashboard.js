// Charts of the executive project dashboard: projects by stage, and the disbursement rate by
// province (or programme) against the share of the fiscal year elapsed.
(function () {
  "use strict";
  const source = document.getElementById("project-dashboard-charts");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const percent = function (value) { return value + "%"; };
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
          plugins: { legend: { display: false } },
          scales: { y: { ticks: { callback: function (value) { return new Intl.NumberFormat().format(value); } } } },
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
          plugins: { legend: { display: false } },
          scales: { x: { min: 0, max: 100, ticks: { callback: percent } } },
        },
      });
    }
  });
})();
