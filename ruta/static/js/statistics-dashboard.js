// The statistics dashboard's charts (Chart.js) and department map (Leaflet, bundled boundaries, no
// tiles). Figures come from the page (json_script); suppressed cells have no value and say so.
(function () {
  "use strict";

  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  var suppressedText = (document.getElementById("statistics-chart-text") || { dataset: {} }).dataset.suppressed || "";

  function drawCharts() {
    var charts = data("statistics-charts");
    if (!charts || typeof Chart === "undefined") {
      return;
    }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var series = charts[canvas.dataset.chart];
      if (!series || !series.months.length) {
        canvas.hidden = true;
        return;
      }
      var points = series.months;
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: points.map(function (point) { return point.label; }),
          datasets: [{
            label: series.label,
            data: points.map(function (point) { return point.suppressed ? null : point.value; }),
            backgroundColor: "#4292c6",
          }],
        },
        options: {
          responsive: true,
          animation: false,
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (context) {
                  var point = points[context.dataIndex];
                  return point.suppressed ? suppressedText : String(point.value);
                },
              },
            },
          },
          scales: { y: { beginAtZero: true } },
        },
      });
    });
  }

  function drawMap() {
    var container = document.getElementById("statistics-map");
    var cells = data("statistics-map-data");
    if (!container || !cells || typeof L === "undefined") {
      return;
    }
    var values = Object.keys(cells).map(function (code) { return cells[code].value || 0; });
    var most = Math.max.apply(null, [1].concat(values));
    var shades = ["#eef4fb", "#c6dbef", "#9ecae1", "#4292c6", "#08519c"];

    function style(code) {
      var cell = cells[code];
      if (cell && cell.suppressed) {
        return { color: "#3f5660", weight: 1, fillColor: "#bdbdbd", fillOpacity: 0.7, dashArray: "3" };
      }
      var value = cell ? cell.value || 0 : 0;
      var shade = value ? shades[Math.min(shades.length - 1, 1 + Math.floor((value / most) * (shades.length - 2)))] : shades[0];
      return { color: "#3f5660", weight: 1, fillColor: shade, fillOpacity: 0.85 };
    }

    function describe(code, name) {
      var cell = cells[code];
      if (!cell) {
        return name + ": " + container.dataset.none;
      }
      return name + ": " + (cell.suppressed ? container.dataset.suppressed : cell.value);
    }

    var map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true });
    map.attributionControl.addAttribution(container.dataset.attribution);
    fetch(container.dataset.geojson, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (geojson) {
        var layer = L.geoJSON(geojson, {
          style: function (feature) { return style(feature.properties.department_code); },
          onEachFeature: function (feature, shape) {
            shape.bindTooltip(describe(feature.properties.department_code, feature.properties.shapeName));
          },
        }).addTo(map);
        map.fitBounds(layer.getBounds());
        container.dataset.ready = "true";
      });
  }

  drawCharts();
  drawMap();
})();
