// Charts of the national budget explorer (budgets/templates/budgets/explorer.html). The data
// comes from the page's `explorer-charts` JSON; each chart has a table beside it with the same
// figures for screen readers and for copying. Every number is written with thousands
// separators; the provinces come ranked (the 10 highest and lowest when there are more, with a
// "…" gap) and the years whose plans are not all enacted are drawn lighter.
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
  const PENDING_COLOUR = "#a9cbe8";

  function colours(name, chart) {
    if (!chart.pending) return settings[name].colour;
    return chart.pending.map(function (missing) {
      return missing ? PENDING_COLOUR : settings[name].colour;
    });
  }

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
        datasets: [{ data: chart.data, backgroundColor: colours(name, chart) }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            filter: function (item) { return item.raw !== null; },
            callbacks: {
              label: function (context) { return number.format(context.parsed[horizontal ? "x" : "y"]); },
              footer: function (items) {
                const missing = chart.pending && items.length ? chart.pending[items[0].dataIndex] : 0;
                return missing ? number.format(missing) + " " + chart.pending_text : "";
              },
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
