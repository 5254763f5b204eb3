/* The officer's dashboard map: partners per point and gaps per village, from a JSON config.
 *
 * Folium builds the map and the two layers and calls NaoberDashboard.mount(map, partners, gaps).
 * Every piece of user text goes in with textContent, never as HTML. Markers are divIcons, so
 * they can be reached with Tab and opened with Enter; the tables below the map hold the same.
 */
(function () {
  "use strict";

  var element = window.NaoberKaart.element;  /* static/js/map.js loads first */
  var fill = window.NaoberKaart.fill;

  function link(href, text) {
    var anchor = element("a", "nk-popup__link", text);
    anchor.href = href;
    return anchor;
  }

  function icon(className, text, size) {
    var body = element("span", "nk-dash-marker__count", text);
    var wrapper = element("div");
    wrapper.appendChild(body);
    return L.divIcon({ className: "nk-dash-marker " + className, html: wrapper.innerHTML, iconSize: [size, size] });
  }

  /* A divIcon marker is a button whose name would be its bare count: give it the full title. */
  function named(marker, title) {
    marker.on("add", function () { marker.getElement().setAttribute("aria-label", title); });
    return marker;
  }

  function partnerPopup(place, config) {
    var strings = config.strings;
    var box = element("div", "nk-popup");
    box.appendChild(element("h3", "nk-popup__title", fill(strings.partnersAt, { n: place.count, place: place.place })));
    var list = element("ul", "nk-popup__items");
    place.items.forEach(function (item) {
      var entry = element("li", "nk-popup__item");
      entry.appendChild(link(item.path, item.name));
      list.appendChild(entry);
    });
    box.appendChild(list);
    if (place.count > place.items.length) {
      var more = element("p", "meta");
      more.appendChild(link(
        config.placeUrl.replace("__municipality__", encodeURIComponent(place.municipality))
          .replace("__place__", encodeURIComponent(place.placeKey)) + "#partners",
        fill(strings.more, { place: place.place })
      ));
      box.appendChild(more);
    }
    return box;
  }

  function gapPopup(gap, config) {
    var strings = config.strings;
    var box = element("div", "nk-popup");
    box.appendChild(element("h3", "nk-popup__title", fill(strings.gapsAt, { n: gap.shown, place: gap.place })));
    var list = element("ul", "nk-popup__items");
    gap.themes.forEach(function (pair) {
      var entry = element("li", "nk-popup__item");
      var label = (config.themes[pair[0]] || pair[0]) + ": " + pair[1];
      entry.appendChild(link(config.gapUrl.replace("__place__", encodeURIComponent(gap.placeKey)) + "?theme=" + encodeURIComponent(pair[0]), label));
      list.appendChild(entry);
    });
    box.appendChild(list);
    return box;
  }

  function mount(map, partnerLayer, gapLayer) {
    var node = document.getElementById("nk-dashboard-config");
    if (!node) { return; }
    var config = JSON.parse(node.textContent);
    var strings = config.strings;
    config.partners.forEach(function (place) {
      var title = fill(strings.partnersAt, { n: place.count, place: place.place });
      var marker = L.marker([place.lat, place.lon], {
        icon: icon("nk-dash-marker--partner", String(place.count), 30), title: title, alt: title, keyboard: true,
      });
      marker.bindPopup(partnerPopup(place, config));
      named(marker, title).addTo(partnerLayer);
    });
    config.gaps.forEach(function (gap) {
      var title = fill(strings.gapsAt, { n: gap.shown, place: gap.place });
      var size = Math.min(64, 26 + 6 * Math.sqrt(gap.size));
      var marker = L.marker([gap.lat, gap.lon], {
        icon: icon("nk-dash-marker--gap", gap.shown, size), title: title, alt: title, keyboard: true,
      });
      marker.bindPopup(gapPopup(gap, config));
      named(marker, title).addTo(gapLayer);
    });
  }

  window.NaoberDashboard = { mount: mount };
})();
