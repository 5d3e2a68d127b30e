// Risk by department on the bundled boundaries (no tiles: nothing is loaded from the internet).
// Each department takes the highest level among its municipalities; the table has every figure.
(function () {
  "use strict";
  var container = document.getElementById("risk-map");
  var source = document.getElementById("risk-departments");
  if (!container || !source || typeof L === "undefined") {
    return;
  }
  var levels = JSON.parse(source.textContent);
  var names = JSON.parse(container.dataset.levels);
  var colours = { high: "#b3261e", medium: "#f2b705", low: "#d9ead3" };

  var map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true });
  map.attributionControl.addAttribution(container.dataset.attribution);
  fetch(container.dataset.geojson, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (geojson) {
      var layer = L.geoJSON(geojson, {
        style: function (feature) {
          var level = levels[feature.properties.department_code];
          return {
            color: "#3f5660",
            weight: 1,
            fillColor: level ? colours[level] : "#ffffff",
            fillOpacity: level ? 0.8 : 0.3,
          };
        },
        onEachFeature: function (feature, shape) {
          var level = levels[feature.properties.department_code];
          shape.bindTooltip(feature.properties.shapeName + (level ? ": " + names[level] : ""));
        },
      }).addTo(map);
      var shown = layer.getLayers().filter(function (shape) {
        return levels[shape.feature.properties.department_code];
      });
      map.fitBounds(shown.length ? L.featureGroup(shown).getBounds() : layer.getBounds());
      container.dataset.ready = "1";
    });
})();
