// Charts of the national budget explorer (budgets/templates/budgets/explorer.html). The data
// comes from the page's `explorer-charts` JSON; each chart has a table beside it with the same
// figures for screen readers and for copying.
(function () {
  "use strict";
  const source = document.getElementById("explorer-charts");
  if (!source || typeof Chart === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const settings = {
    trend: { colour: "#0b4f8a", horizontal: false },
    provinces: { colour: "#3a7dbf", horizontal: true },
    programmes: { colour: "#0b4f8a", horizontal: true },
    categories: { colour: "#6fa6d6", horizontal: true },
  };

  function draw(name) {
    const canvas = document.getElementById("chart-" + name);
    const chart = charts[name];
    if (!canvas || !chart || !chart.data.length) return;
    const horizontal = settings[name].horizontal;
    const valueAxis = {
      beginAtZero: true,
      ticks: { callback: function (value) { return number.format(value); } },
    };
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{ data: chart.data, backgroundColor: settings[name].colour }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) { return number.format(context.parsed[horizontal ? "x" : "y"]); },
            },
          },
        },
        scales: horizontal ? { x: valueAxis, y: { ticks: { autoSkip: false } } } : { y: valueAxis },
      },
    });
  }

  document.fonts.ready.then(function () {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Object.keys(settings).forEach(draw);
  });
})();
