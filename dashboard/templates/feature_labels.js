{% macro script(this, kwargs) %}
(function () {
    // names beside the dashboard's own points, shown where they fit: at each view, in the
    // layer's order, a name is shown if its box clears the names shown before it; the city
    // the page's link selects (?city=) is emphasised and always shown; the base map's names
    // under them give way
    var map = {{ this._parent.get_name() }};
    var layers = [{% for layer in this.layers %}{{ layer }}{{ "," if not loop.last }}{% endfor %}];
    if (!map.getPane("featureLabels")) {
        map.createPane("featureLabels").style.zIndex = 630;
        map.getPane("featureLabels").style.pointerEvents = "none";
    }
    var labels = [], shown = [];
    layers.forEach(function (layer) {
        layer.eachLayer(function (feature) {
            var p = feature.feature && feature.feature.properties;
            if (!p || !p.label) { return; }
            var span = document.createElement("span");
            span.textContent = p.label;
            var marker = L.marker(feature.getLatLng(), {pane: "featureLabels", interactive: false, keyboard: false,
                icon: L.divIcon({html: span, className: "feature-label", iconSize: null})});
            labels.push({id: p.id, marker: marker, span: span, layer: layer});
        });
    });
    function selected() {
        try { return new URLSearchParams(window.parent.location.search).get("city"); }
        catch (e) { return null; }  // a saved map file: no page around it
    }
    function place() {  // all names added, then all boxes read, then the ones that collide removed
        var chosen = selected(), boxes = [];
        var ordered = labels.slice().sort(function (a, b) { return (b.id === chosen) - (a.id === chosen); });
        var candidates = ordered.filter(function (label) {
            var visible = map.hasLayer(label.layer) && map.getBounds().contains(label.marker.getLatLng());
            if (!visible) { map.removeLayer(label.marker); }
            return visible;
        });
        candidates.forEach(function (label) {
            label.marker.addTo(map);
            label.span.classList.toggle("selected", label.id === chosen);
        });
        var rects = candidates.map(function (label) { return label.span.getBoundingClientRect(); });
        candidates.forEach(function (label, i) {
            var r = rects[i], box = [r.left - 14, r.top - 2, r.right + 2, r.bottom + 2];  // and the point left of it
            var clear = boxes.every(function (b) { return box[0] > b[2] || b[0] > box[2] || box[1] > b[3] || b[1] > box[3]; });
            if (clear || label.id === chosen) { boxes.push(box); } else { map.removeLayer(label.marker); }
        });
        shown = boxes;
        uncover();
    }
    function uncover() {  // every box read before any style is written: one layout, not one per name
        var spans = Array.prototype.slice.call(map.getContainer().querySelectorAll(".basemap-label span"));
        var hits = spans.map(function (span) {
            var r = span.getBoundingClientRect();
            return shown.some(function (b) { return !(r.left > b[2] || b[0] > r.right || r.top > b[3] || b[1] > r.bottom); });
        });
        spans.forEach(function (span, i) { span.style.visibility = hits[i] ? "hidden" : ""; });
    }
    map.whenReady(function () { setTimeout(place, 0); });
    map.on("moveend overlayadd overlayremove citychosen", place);  // a zoom ends with a moveend too
    map.on("basemaplabels", uncover);  // offline_basemap.js placed its names again
    map.on("click", function () { setTimeout(place, 400); });  // after the link follows the click
})();
{% endmacro %}
