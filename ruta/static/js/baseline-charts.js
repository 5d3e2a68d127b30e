// Capacity comparison charts: the page embeds the figures with json_script; the tables beside the
// canvases carry the same numbers for screen readers and printing.
(function () {
  "use strict";
  var source = document.getElementById("capacity-chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#6c7a89", "#d08a00", "#0b5cad"];

  function draw(canvasId, figures) {
    var canvas = document.getElementById(canvasId);
    if (!canvas) {
      return;
    }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: figures.labels,
        datasets: figures.datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: palette[index % palette.length],
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, suggestedMax: data.max, ticks: { stepSize: 1 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  draw("chart-dimensions", data.dimensions);
  draw("chart-institutions", data.institutions);
})();
