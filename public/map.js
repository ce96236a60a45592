// «Карта приборов»: draws the buildings the page sends as rings of their meters' statuses,
// clustered where they crowd (Leaflet and Leaflet.markercluster from public/vendor, loaded the
// first time). The page calls `self.uchetMap(element, data, onPick, onTilesFailed)`:
//   data = { tiles, points: [{ id, name, lat, lon, counts: [8] }], colours: [8] }
// A click on a building calls onPick(id); the first tile that cannot load calls
// onTilesFailed() (a closed network, a tile server down): the rings are drawn all the same.
// `element.uchetFocus(id)` brings a building into view. Called again on the same element (a
// new filter), it keeps the map and its tiles and draws the new points.
(function () {
  'use strict';
  const VENDOR = '/vendor/';
  // the whole of Russia, when no building has coordinates
  const RUSSIA = [[41.2, 19.6], [81.9, 180]];
  let loading = null;

  function script(src) {
    return new Promise(function (resolve, reject) {
      const s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error(src + ' did not load')); };
      document.head.appendChild(s);
    });
  }

  function style(href) {
    if (document.querySelector('link[href="' + href + '"]')) return;
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = href;
    document.head.appendChild(l);
  }

  function leaflet() {
    if (self.L && self.L.markerClusterGroup) return Promise.resolve(self.L);
    if (!loading) {
      style(VENDOR + 'leaflet.css');
      style(VENDOR + 'MarkerCluster.css');
      loading = script(VENDOR + 'leaflet.js')
        .then(function () { return script(VENDOR + 'leaflet.markercluster.js'); })
        .then(function () { return self.L; })
        .catch(function (e) { loading = null; throw e; });
    }
    return loading;
  }

  // A ring: each status's share of the meters as an arc of its colour, the count inside.
  function ring(L, counts, colours, size) {
    const total = counts.reduce(function (a, b) { return a + b; }, 0);
    let at = 0;
    const arcs = [];
    counts.forEach(function (n, i) {
      if (!n) return;
      const from = (at / total) * 100;
      at += n;
      arcs.push(colours[i] + ' ' + from.toFixed(2) + '% ' + ((at / total) * 100).toFixed(2) + '%');
    });
    const html = '<div class="map-ring" style="width:' + size + 'px;height:' + size + 'px;background:conic-gradient(' +
      (arcs.join(',') || '#90a4ae 0 100%') + ')"><span>' + total.toLocaleString('ru-RU') + '</span></div>';
    return L.divIcon({ html: html, className: 'map-marker', iconSize: [size, size] });
  }

  function sum(markers) {
    const c = [0, 0, 0, 0, 0, 0, 0, 0];
    markers.forEach(function (m) { m.options.counts.forEach(function (n, i) { c[i] += n; }); });
    return c;
  }

  function escape(text) {
    const d = document.createElement('div');
    d.textContent = text;
    return d.innerHTML;
  }

  // Resolves once `el` is in the page and has a size: a new filter's map is made while the
  // old one is still shown, and Leaflet cannot fit a map it cannot measure.
  function placed(el) {
    return new Promise(function (resolve, reject) {
      const until = Date.now() + 20000;
      (function check() {
        if (el.isConnected && el.clientWidth > 0 && el.clientHeight > 0) return resolve();
        if (Date.now() > until) return reject(new Error('the map never got a place on the page'));
        requestAnimationFrame(check);
      })();
    });
  }

  // The map of `el`, made by the first call: later calls (a new filter) keep it and its
  // tiles and replace the points only.
  function mapOf(L, el, data) {
    if (el.uchetState) return el.uchetState;
    const map = L.map(el, { preferCanvas: true, attributionControl: true });
    map.attributionControl.setPrefix('Leaflet');
    const osm = /openstreetmap\.org/.test(data.tiles);
    const layer = L.tileLayer(data.tiles, {
      maxZoom: 19,
      attribution: osm ? '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>' : '',
    });
    const state = { map: map, clusters: null, onTilesFailed: null };
    let failed = false;
    layer.on('tileerror', function () {
      if (failed) return;
      failed = true;
      el.dataset.tiles = 'failed';
      if (state.onTilesFailed) state.onTilesFailed();
    });
    layer.addTo(map);
    el.uchetState = state;
    return state;
  }

  self.uchetMap = async function (el, data, onPick, onTilesFailed) {
    const L = await leaflet();
    await placed(el);
    const state = mapOf(L, el, data);
    state.onTilesFailed = onTilesFailed;
    const map = state.map;
    if (state.clusters) map.removeLayer(state.clusters);
    const clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: function (cluster) {
        return ring(L, sum(cluster.getAllChildMarkers()), data.colours, 48);
      },
    });
    const byId = new Map();
    data.points.forEach(function (p) {
      const m = L.marker([p.lat, p.lon], { icon: ring(L, p.counts, data.colours, 40), counts: p.counts, title: p.name, keyboard: true });
      m.bindTooltip(escape(p.name));
      m.on('click', function () { onPick(p.id); });
      clusters.addLayer(m);
      byId.set(p.id, m);
    });
    map.addLayer(clusters);
    state.clusters = clusters;
    if (data.points.length) {
      map.fitBounds(L.latLngBounds(data.points.map(function (p) { return [p.lat, p.lon]; })), { padding: [30, 30], maxZoom: 16 });
    } else {
      map.fitBounds(RUSSIA);
    }
    el.uchetFocus = function (id) {
      const m = byId.get(id);
      if (!m) return;
      clusters.zoomToShowLayer(m, function () { m.openTooltip(); });
    };
    el.dataset.points = String(data.points.length);
    return true;
  };
})();
