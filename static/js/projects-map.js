/* Map of an LAO's project points (projects/templates/projects/lao_projects.html), drawn with
   the shared offline helper LaoMap (static/js/map.js, no tile layer). Data: the json_script
   element named by data-points on #project-map: [{lat, lon, name, url}]. */
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("project-map");
    if (!element || typeof L === "undefined" || !window.LaoMap) return;
    var points = window.LaoMap.readJSON(element.dataset.points) || [];
    var context = window.LaoMap.readJSON(element.dataset.context);
    var drawn = window.LaoMap.drawBoundaryMap(element, context || [], {
      points: points,
      style: { color: "#4a5563", weight: 1.5, fillColor: "#e6eef6", fillOpacity: 0.6 },
      label: function () { return ""; },
      href: function () { return null; },
    });
    if (!context && points.length === 1) drawn.map.setView([points[0].lat, points[0].lon], 13);
    element.classList.add("project-map-ready");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
