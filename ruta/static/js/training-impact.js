// The training-impact chart: per cohort, the three shares before and after training. The data come
// from the page (json_script), the labels already translated; the tables give the counts.
(function () {
  "use strict";
  var canvas = document.getElementById("impact-chart");
  var source = document.getElementById("impact-data");
  if (!canvas || !source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var keys = ["complete", "private", "with_indicators"];
  var colours = { complete: "#1f6f8b", private: "#99a1a6", with_indicators: "#e4a11b" };
  var datasets = [];
  keys.forEach(function (key) {
    [0, 1].forEach(function (index) {
      datasets.push({
        label: data.names[key] + " — " + (index === 0 ? data.names.before : data.names.after),
        data: data.series[key].map(function (pair) { return pair[index]; }),
        borderColor: colours[key],
        borderWidth: 2,
        // Before: an outlined bar; after: a filled one, so the two read apart without colour.
        backgroundColor: index === 0 ? "rgba(255,255,255,0)" : colours[key]
      });
    });
  });
  new window.Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true,
      scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: "%" } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
