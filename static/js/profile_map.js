/* LAO profile map, drawn with the shared offline helper (static/js/map.js, no tile layer).
   Data: the json_script element #lao-map-data made by units.profile.lao_map_data:
   {"point": [lat, lon] | null, "area": geometry | null, "context": geometry | null, "shows": ...}
   The province boundary is context; the LAO's point is drawn on top, or else its district's
   (a PAO's province's) area is shaded. */
(function () {
  "use strict";
  var CONTEXT_STYLE = { color: "#4a5563", weight: 1.5, fillColor: "#d5dce4", fillOpacity: 0.35 };
  var AREA_STYLE = { color: "#0b4f8a", weight: 2, fillColor: "#0b4f8a", fillOpacity: 0.25 };
  var POINT_ZOOM = 12;

  function draw() {
    var element = document.getElementById("lao-map");
    if (!element || typeof L === "undefined" || !window.LaoMap) return;
    var data = window.LaoMap.readJSON("lao-map-data");
    if (!data) return;
    var noLink = function () { return null; };
    var drawn = window.LaoMap.drawBoundaryMap(element, data.area || data.context || [], {
      style: data.area ? AREA_STYLE : CONTEXT_STYLE,
      outline: data.area ? data.context : null,
      label: function () { return ""; },
      href: noLink,
    });
    if (data.point) {
      L.circleMarker(data.point, {
        radius: 9,
        color: "#ffffff",
        weight: 2,
        fillColor: "#b7791f",
        fillOpacity: 1,
        className: "lao-map-point",
      }).addTo(drawn.map);
      if (!data.context) drawn.map.setView(data.point, POINT_ZOOM);
    }
    element.classList.add("lao-map-ready");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
