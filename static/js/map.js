/* Naoberkaart maps: the village map that Folium wires up, and small single-point maps.
 *
 * Every piece of user text is put in the page with textContent, never as HTML.
 * The village map reads its data from <script type="application/json" id="nk-map-config">
 * (format in docs/map.md) and loads a village's items from the JSON endpoint when it opens.
 */
(function () {
  "use strict";

  var COLOUR = /^#[0-9a-fA-F]{3,8}$/;
  var NL_CENTRE = [52.2, 5.3];

  /* ---------- helpers ---------- */

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  function readConfig() {
    var node = document.getElementById("nk-map-config");
    return node ? JSON.parse(node.textContent) : null;
  }

  /* ---------- the village map ---------- */

  function VillageMap(map, cluster, layers, config) {
    this.map = map;
    this.cluster = cluster;
    this.layers = layers;
    this.config = config;
    this.strings = config.strings;
    this.data = config.data;
    this.themesByPlace = {};
    this.markers = [];
  }

  VillageMap.prototype.number = function (value) {
    return value.toLocaleString(this.config.locale === "en" ? "en-GB" : "nl-NL");
  };

  VillageMap.prototype.enabledKinds = function () {
    var self = this;
    return this.data.layers.filter(function (kind) {
      return self.layers[kind] && self.map.hasLayer(self.layers[kind]);
    });
  };

  VillageMap.prototype.themeColour = function (index) {
    var theme = this.data.themes[index];
    return theme && COLOUR.test(theme[2]) ? theme[2] : "#01689b";
  };

  /* A conic gradient with one slice per theme, sized by how often it occurs. */
  VillageMap.prototype.ring = function (pairs) {
    var total = 0;
    pairs.forEach(function (pair) { total += pair[1]; });
    if (!total) { return "#01689b"; }
    var stops = [];
    var start = 0;
    var self = this;
    pairs.forEach(function (pair) {
      var end = start + (pair[1] / total) * 100;
      stops.push(self.themeColour(pair[0]) + " " + start.toFixed(2) + "% " + end.toFixed(2) + "%");
      start = end;
    });
    return "conic-gradient(" + stops.join(", ") + ")";
  };

  /* The marker's face: the count for the eye, the full sentence for screen readers. */
  VillageMap.prototype.badge = function (count, name, pairs) {
    var ring = element("span", "nk-marker__ring");
    ring.setAttribute("data-count", String(count));
    ring.title = name;
    ring.style.background = this.ring(pairs);
    var face = element("span", "nk-marker__count", this.number(count));
    face.setAttribute("aria-hidden", "true");
    ring.appendChild(face);
    ring.appendChild(element("span", "visually-hidden", name));
    return ring;
  };

  VillageMap.prototype.icon = function (count, name, pairs, cluster) {
    var size = Math.round(30 + 7 * Math.log10(Math.max(count, 1)));
    return L.divIcon({
      html: this.badge(count, name, pairs),
      className: "nk-marker" + (cluster ? " nk-marker--cluster" : ""),
      iconSize: [size, size]
    });
  };

  VillageMap.prototype.placeName = function (count, place) {
    var s = this.strings;
    return count === 1 ? fill(s.one, { place: place }) : fill(s.many, { n: this.number(count), place: place });
  };

  VillageMap.prototype.marker = function (place, kindIndexes) {
    var count = 0;
    kindIndexes.forEach(function (index) { count += place[4][index]; });
    if (!count) { return null; }
    var pairs = this.pairs(place[0]);
    var name = this.placeName(count, place[1]);
    var marker = L.marker([place[2], place[3]], {
      icon: this.icon(count, name, pairs, false), keyboard: true, riseOnHover: true
    });
    marker.nkCount = count;
    marker.nkThemes = pairs;
    marker.nkPlace = place;
    marker.nkName = name;
    this.bindVillagePopup(marker);
    return marker;
  };

  /* [[theme index, count], ...] for a village, once the theme breakdown has arrived. */
  VillageMap.prototype.pairs = function (key) {
    var flat = this.themesByPlace[key] || [];
    var pairs = [];
    for (var i = 0; i < flat.length; i += 2) { pairs.push([flat[i], flat[i + 1]]); }
    return pairs;
  };

  VillageMap.prototype.clusterIcon = function (cluster) {
    var children = cluster.getAllChildMarkers();
    var count = 0;
    var themes = {};
    children.forEach(function (child) {
      count += child.nkCount || 0;
      (child.nkThemes || []).forEach(function (pair) { themes[pair[0]] = (themes[pair[0]] || 0) + pair[1]; });
    });
    var pairs = Object.keys(themes).map(function (key) { return [Number(key), themes[key]]; });
    pairs.sort(function (a, b) { return b[1] - a[1]; });
    var name = fill(this.strings.cluster, { n: this.number(count), places: this.number(children.length) }) +
      ". " + this.strings.zoom;
    return this.icon(count, name, pairs, true);
  };

  VillageMap.prototype.rebuild = function () {
    var kinds = this.data.kinds;
    var indexes = this.enabledKinds().map(function (kind) { return kinds.indexOf(kind); });
    var self = this;
    var markers = [];
    var total = 0;
    this.data.places.forEach(function (place) {
      var marker = self.marker(place, indexes);
      if (marker) { markers.push(marker); total += marker.nkCount; }
    });
    this.map.closePopup();
    this.cluster.clearLayers();
    this.cluster.addLayers(markers);
    this.markers = markers;
    this.summarise(total);
  };

  /* Colour the rings once the (costlier) theme breakdown is in; markers show before it. */
  VillageMap.prototype.loadThemes = function () {
    var self = this;
    fetch(this.config.themesUrl + "?" + this.queryParams(false).toString(),
      { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { places: {} }; })
      .then(function (body) {
        self.themesByPlace = body.places || {};
        self.markers.forEach(function (marker) {
          marker.nkThemes = self.pairs(marker.nkPlace[0]);
          marker.setIcon(self.icon(marker.nkCount, marker.nkName, marker.nkThemes, false));
        });
        self.cluster.refreshClusters();
      })
      .catch(function () { /* the rings stay plain; everything else works */ });
  };

  VillageMap.prototype.summarise = function (total) {
    var node = document.getElementById("nk-map-summary");
    if (!node) { return; }
    var s = this.strings;
    node.textContent = total === 0 ? s.summaryNone :
      total === 1 ? s.summaryOne : fill(s.summaryMany, { n: this.number(total) });
  };

  /* ---------- a village's popup: its items, loaded page by page ---------- */

  VillageMap.prototype.bindVillagePopup = function (marker) {
    var self = this;
    var shell = null;
    marker.bindPopup(function () {
      shell = shell || self.popupShell(marker);
      return shell.root;
    }, { maxWidth: 340, minWidth: 240, maxHeight: 340, autoPanPadding: [24, 24] });
    marker.on("popupopen", function () {
      shell.list.textContent = "";
      shell.more.hidden = true;
      shell.heading.focus({ preventScroll: true });
      self.load(marker, shell, 1);
    });
    marker.on("popupclose", function () {
      var icon = marker.getElement();
      var active = document.activeElement;
      if (icon && (!active || active === document.body || shell.root.contains(active))) { icon.focus(); }
    });
  };

  VillageMap.prototype.popupShell = function (marker) {
    var root = element("div", "nk-popup");
    var heading = element("h3", "nk-popup__title", marker.nkName);
    heading.tabIndex = -1;
    var status = element("p", "nk-popup__status");
    status.setAttribute("role", "status");
    var list = element("ul", "nk-popup__items");
    var more = element("button", "link-button nk-popup__more", this.strings.more);
    more.type = "button";
    more.hidden = true;
    root.appendChild(heading);
    root.appendChild(status);
    root.appendChild(list);
    root.appendChild(more);
    var shell = { root: root, heading: heading, status: status, list: list, more: more, page: 1 };
    var self = this;
    more.addEventListener("click", function () { self.load(marker, shell, shell.page + 1); });
    /* Leaflet only hears Escape while the map itself has focus; inside the popup we listen. */
    root.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.stopPropagation(); self.map.closePopup(); }
    });
    return shell;
  };

  /* The page's filter as URL parameters; `enabledOnly` narrows the kinds to the switched-on layers. */
  VillageMap.prototype.queryParams = function (enabledOnly) {
    var params = new URLSearchParams();
    var query = this.config.query;
    Object.keys(query).forEach(function (name) {
      if (name === "kind" && enabledOnly) { return; }
      [].concat(query[name]).forEach(function (value) { params.append(name, value); });
    });
    if (enabledOnly) { this.enabledKinds().forEach(function (kind) { params.append("kind", kind); }); }
    return params;
  };

  VillageMap.prototype.itemsUrl = function (place, page) {
    var params = this.queryParams(true);
    params.set("place", place[0]);
    params.set("page", String(page));
    return this.config.dataUrl + "?" + params.toString();
  };

  VillageMap.prototype.load = function (marker, shell, page) {
    var self = this;
    shell.status.textContent = this.strings.loading;
    shell.more.hidden = true;
    fetch(this.itemsUrl(marker.nkPlace, page), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (body) { self.showItems(marker, shell, body); })
      .catch(function () { shell.status.textContent = self.strings.failed; });
  };

  VillageMap.prototype.showItems = function (marker, shell, body) {
    var self = this;
    body.items.forEach(function (item) { shell.list.appendChild(self.item(item)); });
    shell.page = body.page;
    var shown = shell.list.children.length;
    shell.status.textContent = shown < body.total ?
      fill(this.strings.shown, { shown: this.number(shown), total: this.number(body.total) }) : "";
    shell.more.hidden = shown >= body.total || body.items.length === 0;
    var popup = marker.getPopup();
    if (popup && popup.isOpen()) {
      /* Leaflet re-inserts the content to re-measure it: keep the reader's focus where it was. */
      var active = shell.root.contains(document.activeElement) ? document.activeElement : null;
      popup.update();
      if (active) { active.focus({ preventScroll: true }); }
    }
  };

  VillageMap.prototype.item = function (item) {
    var s = this.strings;
    var li = element("li", "nk-popup__item");
    var link = element("a", "nk-popup__link", item.title);
    link.href = item.url;
    if (this.config.embed) {
      link.target = "_blank";
      link.rel = "noopener";
      link.appendChild(element("span", "visually-hidden", " " + s.newWindow));
    }
    li.appendChild(link);
    var meta = element("p", "meta");
    meta.appendChild(element("span", "badge badge--" + item.kind, s.kinds[item.kind] || item.kind));
    if (item.place) { meta.appendChild(document.createTextNode(" · " + item.place)); }
    li.appendChild(meta);
    if (item.themes.length) { li.appendChild(this.themeTags(item.themes)); }
    return li;
  };

  VillageMap.prototype.themeTags = function (slugs) {
    var tags = element("ul", "tags");
    var themes = this.data.themes;
    var self = this;
    slugs.forEach(function (slug) {
      for (var i = 0; i < themes.length; i += 1) {
        if (themes[i][0] !== slug) { continue; }
        var tag = element("li", "tag nk-tag");
        var swatch = element("span", "swatch");
        swatch.style.background = self.themeColour(i);
        tag.appendChild(swatch);
        tag.appendChild(document.createTextNode(themes[i][1]));
        tags.appendChild(tag);
      }
    });
    return tags;
  };

  /* ---------- Leaflet's own controls, in the reader's language ---------- */

  VillageMap.prototype.translateControls = function () {
    var container = this.map.getContainer();
    var s = this.strings;
    [[".leaflet-control-zoom-in", s.zoomIn], [".leaflet-control-zoom-out", s.zoomOut]].forEach(function (pair) {
      var button = container.querySelector(pair[0]);
      if (button) { button.title = pair[1]; button.setAttribute("aria-label", pair[1]); }
    });
    var layers = container.querySelector(".leaflet-control-layers");
    if (layers) {
      layers.setAttribute("role", "group");
      layers.setAttribute("aria-label", s.layers);
    }
    this.map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.title = s.close; close.setAttribute("aria-label", s.close); }
    });
  };

  /* The selection's own marks on the shared map: the radius circle and the layer switch with counts. */
  VillageMap.prototype.drawFrame = function () {
    var frame = this.config.frame;
    if (frame.radius) {
      L.circle(frame.radius.centre, {
        radius: frame.radius.metres, color: "#01689b", weight: 2, fillOpacity: 0.05, interactive: false,
      }).addTo(this.map);
    }
    var overlays = {};
    var layers = this.layers;
    Object.keys(layers).forEach(function (kind) { overlays[frame.layers[kind]] = layers[kind]; });
    L.control.layers(null, overlays, { collapsed: false }).addTo(this.map);
  };

  var current = null;

  /* Called by the map's script right after the map exists, before the tile layer is added. */
  function fit(map) {
    var frame = readConfig().frame;
    map.fitBounds(frame.bounds, { padding: [frame.padding, frame.padding], maxZoom: frame.maxZoom, animate: false });
  }

  function mount(map, cluster, layers) {
    current = new VillageMap(map, cluster, layers, readConfig());
    current.drawFrame();
    current.translateControls();
    map.on("overlayadd overlayremove", function () { current.rebuild(); });
    current.rebuild();
    current.loadThemes();
    return current;
  }

  function clusterIcon(cluster) {
    return current.clusterIcon(cluster);
  }

  /* ---------- small maps: one point, optionally chosen by clicking ---------- */

  function round(value) { return Math.round(value * 100000) / 100000; }

  function smallMap(node) {
    var data = node.dataset;
    var latInput = data.latInput ? document.getElementById(data.latInput) : null;
    var lonInput = data.lonInput ? document.getElementById(data.lonInput) : null;
    var lat = parseFloat(latInput && latInput.value ? latInput.value : data.lat);
    var lon = parseFloat(lonInput && lonInput.value ? lonInput.value : data.lon);
    var known = isFinite(lat) && isFinite(lon);
    var map = L.map(node, { scrollWheelZoom: false })
      .setView(known ? [lat, lon] : NL_CENTRE, known ? Number(data.zoom || 13) : 7);
    L.tileLayer(data.tileUrl, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
    var marker = null;
    function show(point) {
      if (marker) { marker.setLatLng(point); return; }
      marker = L.marker(point, { alt: data.label || "", title: data.label || "", interactive: false, keyboard: false })
        .addTo(map);
    }
    if (known) { show([lat, lon]); }
    if (data.editable) { makeEditable(node, map, show, latInput, lonInput); }
    return map;
  }

  function makeEditable(node, map, show, latInput, lonInput) {
    var status = node.dataset.status ? document.getElementById(node.dataset.status) : null;
    function choose(point) {
      var lat = round(point.lat);
      var lon = round(point.lng);
      show([lat, lon]);
      [[latInput, lat], [lonInput, lon]].forEach(function (pair) {
        if (!pair[0]) { return; }
        pair[0].value = String(pair[1]);
        pair[0].dispatchEvent(new Event("change", { bubbles: true }));
      });
      if (status) { status.textContent = fill(status.dataset.template || "{lat}, {lon}", { lat: lat, lon: lon }); }
    }
    map.on("click", function (event) { choose(event.latlng); });
    var container = map.getContainer();
    container.appendChild(element("span", "nk-crosshair")).setAttribute("aria-hidden", "true");
    container.addEventListener("keydown", function (event) {
      if (event.target === container && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        choose(map.getCenter());
      }
    });
  }

  function initSmallMaps() {
    document.querySelectorAll("[data-nk-small-map]").forEach(function (node) {
      if (!node.nkMap) { node.nkMap = smallMap(node); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initSmallMaps);
  } else {
    initSmallMaps();
  }

  window.NaoberKaart = {
    fit: fit, mount: mount, clusterIcon: clusterIcon, initSmallMaps: initSmallMaps,
    element: element, fill: fill,  /* also used by static/js/dashboard.js */
  };
})();
