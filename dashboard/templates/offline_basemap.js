{% macro script(this, kwargs) %}
(function () {
    // the offline base map (scripts/make_basemap.py): relief and water tiles zoom by zoom over
    // their areas, Natural Earth land borders, and names placed without collisions
    var group = {{ this._parent.get_name() }}, map = {{ this._parent._parent.get_name() }};
    var spec = {{ this.spec|tojson }};
    // a saved map (dashboard/map_export.py) carries its tiles, borders and names inline
    var inline = spec.tileData, blank = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";
    var TileLayer = inline ? L.TileLayer.extend({getTileUrl: function (c) {
        return inline[c.z + "/" + c.x + "/" + c.y] || blank;
    }}) : L.TileLayer;
    function load(source) {
        return typeof source === "string" ? fetch(source).then(function (r) { return r.json(); }) : Promise.resolve(source);
    }
    spec.layers.forEach(function (layer) {
        new TileLayer(spec.tiles, {
            minZoom: layer.min, maxZoom: spec.maxZoom, minNativeZoom: layer.minNative, maxNativeZoom: layer.maxNative,
            bounds: L.latLngBounds([[layer.bounds[1], layer.bounds[0]], [layer.bounds[3], layer.bounds[2]]]),
            attribution: layer.attribution || "", pane: "basemap", keepBuffer: 1
        }).addTo(group);
    });
    if (!map.getPane("basemapBorders")) {
        map.createPane("basemapBorders").style.zIndex = 260;
        map.createPane("basemapLabels").style.zIndex = 420;
        map.getPane("basemapLabels").style.pointerEvents = "none";
    }
    load(spec.borders).then(function (data) {
        // one canvas for every border line: thousands of SVG paths would slow each pan and zoom
        L.geoJson(data, {pane: "basemapBorders", interactive: false, renderer: L.canvas({pane: "basemapBorders"}),
                         style: {color: "#8e7b9b", weight: 1, opacity: 0.8, dashArray: "4 3"}}).addTo(group);
    });
    var labels = L.layerGroup().addTo(group), all = [], markers = [];
    function label(entry) {  // [lon, lat, name, minzoom, kind]: the name as text, never as HTML
        var span = document.createElement("span");
        span.textContent = entry[2];
        return L.marker([entry[1], entry[0]], {
            pane: "basemapLabels", interactive: false, keyboard: false,
            icon: L.divIcon({html: span, className: "basemap-label basemap-" + entry[4], iconSize: null})
        });
    }
    function show() {  // each name's marker is made once, then only added or removed
        if (!group._map) { return; }
        var zoom = map.getZoom(), view = map.getBounds().pad(0.2);
        all.forEach(function (entry, i) {
            var wanted = entry[3] <= zoom && view.contains([entry[1], entry[0]]);
            if (wanted && !markers[i]) { markers[i] = label(entry); }
            if (wanted !== (markers[i] !== undefined && labels.hasLayer(markers[i]))) {
                labels[wanted ? "addLayer" : "removeLayer"](markers[i]);
            }
        });
        map.fire("basemaplabels");
    }
    load(spec.labels).then(function (data) { all = data; show(); });
    map.on("moveend", show);  // a zoom ends with a moveend too
    group.on("add", show);
})();
{% endmacro %}
