// The coverage map: district outlines, venues with their service radius, townships coloured by
// coverage, and the population grid's cells (a light layer that can be switched off) when the
// coverage is computed by grid and there are few enough cells to draw. Tiles only when the hub set a tile URL; otherwise a blank background, so the map
// also works offline.
(function () {
  "use strict";
  var element = document.getElementById("coverage-map");
  var source = document.getElementById("coverage-map-data");
  if (!element || !source || typeof L === "undefined") return;
  var data = JSON.parse(source.textContent);
  var map = L.map(element, { attributionControl: Boolean(data.tileUrl) });
  if (data.tileUrl) {
    L.tileLayer(data.tileUrl, { attribution: data.attribution || "", maxZoom: 18 }).addTo(map);
  } else {
    element.classList.add("coverage-map--blank");
  }
  var bounds = L.latLngBounds([]);
  if (data.cells && data.cells.length) {
    // Canvas: thousands of SVG elements would make the page sluggish.
    var renderer = L.canvas({ padding: 0.2 });
    var cells = L.layerGroup();
    data.cells.forEach(function (cell) {
      L.circleMarker([cell[0], cell[1]], {
        renderer: renderer, radius: 2, stroke: false, interactive: false,
        fillColor: cell[3] ? "#2a7f3f" : "#c0392b", fillOpacity: 0.35
      }).addTo(cells);
      bounds.extend([cell[0], cell[1]]);
    });
    cells.addTo(map);
    var overlays = {};
    overlays[data.cellLayerLabel] = cells;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  }
  data.districts.forEach(function (district) {
    if (district.outline.length < 3) return;
    var shape = L.polygon(district.outline, { color: "#555", weight: 1, fillOpacity: 0.04 });
    shape.bindTooltip(district.name, { sticky: true }).addTo(map);
    bounds.extend(shape.getBounds());
  });
  var colours = { main: "#8c1c13", branch: "#1d5fa8", point: "#2a7f3f" };
  data.venues.forEach(function (venue) {
    var colour = colours[venue.level] || "#333";
    if (venue.radiusKm) {
      L.circle([venue.lat, venue.lon], {
        radius: venue.radiusKm * 1000, color: colour, weight: 1, fillOpacity: 0.05, interactive: false
      }).addTo(map);
    }
    L.circleMarker([venue.lat, venue.lon], { radius: 5, color: colour, fillOpacity: 0.9 })
      .bindTooltip(venue.name).addTo(map);
    bounds.extend([venue.lat, venue.lon]);
  });
  data.townships.forEach(function (township) {
    var colour = township.covered ? "#2a7f3f" : "#c0392b";
    L.circleMarker([township.lat, township.lon], {
      radius: 3 + Math.sqrt(township.population) / 60, color: colour, weight: township.hasBranch ? 1 : 3,
      fillOpacity: 0.3, dashArray: township.hasBranch ? null : "2 3"
    }).bindTooltip(township.name + " " + township.population.toLocaleString("zh-CN")).addTo(map);
    bounds.extend([township.lat, township.lon]);
  });
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
  else map.setView([27.8, 113.15], 8);
})();
