// Budget chart of the LAO profile: enacted budget by programme, latest year beside the year before.
(function () {
  "use strict";
  const source = document.getElementById("budget-chart-data");
  const canvas = document.getElementById("budget-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = ["#0b4f8a", "#9fb8d3"];
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  document.fonts.ready.then(function () {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          return { label: set.label, data: set.data, backgroundColor: colours[index % colours.length] };
        }),
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { position: "bottom" },
          // Amounts with thousands separators in the tooltip too, as on the axis.
          tooltip: {
            callbacks: {
              label: function (context) { return context.dataset.label + ": " + number.format(context.parsed.x); },
            },
          },
        },
        scales: { x: { ticks: { callback: function (value) { return number.format(value); } } } },
      },
    });
  });
})();
