// Initiatives by department on the bundled boundaries (no tiles: nothing is loaded from the
// internet). Counts come from the page (json_script); the table beside the map has the same figures.
(function () {
  "use strict";
  var container = document.getElementById("department-map");
  var source = document.getElementById("department-counts");
  if (!container || !source || typeof L === "undefined") {
    return;
  }
  var counts = JSON.parse(source.textContent);
  var most = Math.max.apply(null, [1].concat(Object.values(counts)));
  var shades = ["#eef4fb", "#c6dbef", "#9ecae1", "#4292c6", "#08519c"];

  function colour(count) {
    if (!count) {
      return shades[0];
    }
    return shades[Math.min(shades.length - 1, 1 + Math.floor((count / most) * (shades.length - 2)))];
  }

  var map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true });
  map.attributionControl.addAttribution(container.dataset.attribution);
  fetch(container.dataset.geojson, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (geojson) {
      var layer = L.geoJSON(geojson, {
        style: function (feature) {
          var count = counts[feature.properties.department_code] || 0;
          return { color: "#3f5660", weight: 1, fillColor: colour(count), fillOpacity: 0.85 };
        },
        onEachFeature: function (feature, shape) {
          var count = counts[feature.properties.department_code] || 0;
          shape.bindTooltip(feature.properties.shapeName + ": " + count + " " + container.dataset.label);
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds());
    });
})();
