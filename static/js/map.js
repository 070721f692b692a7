/* Offline maps of the portal: Leaflet (static/vendor/leaflet) drawing GeoJSON with NO tile layer,
   so maps work without network access to a tile server.

   Shared helper, for any page:

     LaoMap.drawBoundaryMap(element, geojson, options) -> {map, layer}

   Pages may also declare a map in HTML and let this file draw it on load:

     <div class="lao-map" data-lao-map="province" data-map-data="ID">   json_script ID holds
         {"province": Feature|null, "districts": [Feature], "points": [{lat, lon, name, url}]}
     <div class="lao-map" data-lao-map="national" data-geojson-url="URL" data-counts="ID">
         provinces from URL (FeatureCollection, properties code/name_th/name_en/url), coloured
         by the {code: count} object in json_script ID.

   Text from the data (names) is inserted as text, never as HTML.

   Accessibility: the map element carries an aria-label (its accessible name) and, optionally,
   data-zoom-in / data-zoom-out (the translated titles of the zoom buttons); it becomes a
   keyboard-focusable region. Anything the map links to must also be reachable from a list on the
   page (features and points are not keyboard targets). */
(function () {
  "use strict";

  var ATTRIBUTION = "Boundaries © OCHA / Royal Thai Survey Department, CC BY-IGO";
  var THAILAND_CENTER = [13.0, 101.0];
  var THAILAND_ZOOM = 5;
  // Colours of the national map's classes; the same as .map-bin-0 … 4 in portal.css (legend).
  var BIN_LIMITS = [50, 100, 150, 200];
  var BIN_COLORS = ["#dbe9f6", "#a9cbe8", "#6fa6d6", "#3a7dbf", "#0b4f8a"];

  function textElement(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function readJSON(id) {
    var script = id && document.getElementById(id);
    return script ? JSON.parse(script.textContent) : null;
  }

  function featureName(feature) {
    var props = (feature && feature.properties) || {};
    var english = document.documentElement.lang === "en";
    return (english && props.name_en) || props.name_th || props.name || "";
  }

  /* Leaflet makes the container focusable (tabindex 0: arrow keys pan, +/- zoom) and puts
     the zoom buttons inside it. A role="img" there would be a control holding other controls
     (an image's children are presentational, so the buttons would vanish for screen readers):
     the map is a named region instead, the pattern of the common web maps. Its name comes from
     the page's aria-label; what a click on the map opens is also in a list the page links to. */
  function makeNamedRegion(element) {
    element.setAttribute("role", "region");
  }

  /**
   * Draw GeoJSON boundaries on `element` without any tile layer.
   *
   * @param {HTMLElement} element  the map container (give it a height in CSS).
   * @param {Object|Array|null} geojson  a Feature, a FeatureCollection or an array of Features.
   * @param {Object} [options]
   * @param {Object|Function} [options.style]  Leaflet path style, or a function of the feature.
   * @param {Function} [options.label]  feature -> tooltip text (default: its name).
   * @param {Function} [options.href]  feature -> URL opened on click (default: properties.url).
   * @param {Object|null} [options.outline]  a Feature drawn on top, unfilled (e.g. a province).
   * @param {Array} [options.points]  [{lat, lon, name, url}] drawn as small circles.
   * @param {string} [options.attribution]  attribution text (default: the OCHA boundaries).
   * @returns {{map: L.Map, layer: L.GeoJSON}}
   */
  function drawBoundaryMap(element, geojson, options) {
    options = options || {};
    makeNamedRegion(element);
    var map = L.map(element, {
      zoomSnap: 0.25,
      scrollWheelZoom: false,
      attributionControl: true,
      zoomControl: false,
    });
    // The page's own words for the zoom buttons (Leaflet's are English only).
    L.control.zoom({
      zoomInTitle: element.dataset.zoomIn || "Zoom in",
      zoomOutTitle: element.dataset.zoomOut || "Zoom out",
    }).addTo(map);
    map.attributionControl.addAttribution(options.attribution || ATTRIBUTION);

    var label = options.label || featureName;
    var href = options.href || function (feature) {
      return feature.properties && feature.properties.url;
    };
    var layer = L.geoJSON(geojson || [], {
      style: options.style || { color: "#0b4f8a", weight: 1, fillColor: "#dbe9f6", fillOpacity: 0.7 },
      onEachFeature: function (feature, featureLayer) {
        var text = label(feature);
        if (text) featureLayer.bindTooltip(textElement(text), { sticky: true });
        var url = href(feature);
        if (url) {
          featureLayer.on("click", function () { window.location.assign(url); });
          featureLayer.on("mouseover", function () { featureLayer.setStyle({ weight: 3 }); });
          featureLayer.on("mouseout", function () { layer.resetStyle(featureLayer); });
        }
      },
    });
    var outline = options.outline
      ? L.geoJSON(options.outline, { style: { color: "#083a66", weight: 3, fill: false }, interactive: false })
      : null;

    var bounds = layer.getBounds();
    if (outline) {
      bounds = bounds.isValid() ? bounds.extend(outline.getBounds()) : outline.getBounds();
    }
    // The view fits the boundaries; points alone only when there are none (a stray point
    // outside its province should not shrink the map).
    var points = options.points || [];
    if (!bounds.isValid()) {
      points.forEach(function (point) {
        var latLng = L.latLng(point.lat, point.lon);
        bounds = bounds.isValid() ? bounds.extend(latLng) : L.latLngBounds([latLng, latLng]);
      });
    }
    // Set the view before adding layers: the renderer needs one to place them.
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    } else {
      map.setView(THAILAND_CENTER, THAILAND_ZOOM);
    }
    layer.addTo(map);
    if (outline) outline.addTo(map);

    points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: 4, color: "#7a4f0f", weight: 1, fillColor: "#b7791f", fillOpacity: 0.9,
      }).addTo(map);
      if (point.name) marker.bindTooltip(textElement(point.name));
      if (point.url) marker.on("click", function () { window.location.assign(point.url); });
    });
    return { map: map, layer: layer };
  }

  function binOf(count) {
    var bin = 0;
    while (bin < BIN_LIMITS.length && count >= BIN_LIMITS[bin]) bin += 1;
    return bin;
  }

  function drawProvinceMap(element) {
    var data = readJSON(element.dataset.mapData) || {};
    drawBoundaryMap(element, data.districts || [], {
      outline: data.province,
      points: data.points,
      attribution: element.dataset.attribution,
      style: { color: "#4a5563", weight: 1, fillColor: "#e6eef6", fillOpacity: 0.8 },
    });
  }

  function drawNationalMap(element) {
    var counts = readJSON(element.dataset.counts) || {};
    fetch(element.dataset.geojsonUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (geojson) {
        drawBoundaryMap(element, geojson, {
          attribution: element.dataset.attribution,
          label: function (feature) {
            var count = counts[feature.properties.code] || 0;
            return featureName(feature) + ": " + count.toLocaleString();
          },
          style: function (feature) {
            var count = counts[feature.properties.code] || 0;
            return {
              color: "#ffffff", weight: 1, fillOpacity: 0.9,
              fillColor: count ? BIN_COLORS[binOf(count)] : "#eeeeee",
            };
          },
        });
      })
      .catch(function () {
        element.classList.add("directory-map-failed");
      });
  }

  function drawDeclaredMaps() {
    document.querySelectorAll("[data-lao-map]").forEach(function (element) {
      if (element.dataset.laoMap === "province") drawProvinceMap(element);
      else if (element.dataset.laoMap === "national") drawNationalMap(element);
    });
  }

  window.LaoMap = {
    ATTRIBUTION: ATTRIBUTION,
    drawBoundaryMap: drawBoundaryMap,
    readJSON: readJSON,
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawDeclaredMaps);
  } else {
    drawDeclaredMaps();
  }
})();
