{% macro script(this, kwargs) %}
(function () {
    // overlay and base-map toggles go to the app as the map component's value, which puts
    // them in the page's URL (streamlit-folium reports only WMS layers), with the map's view (the
    // map's HTML file opens there: dashboard/map_export.py)
    var map = {{ this._parent.get_name() }};
    var overlays = {{ this.overlays|tojson }}, basemaps = {{ this.basemaps|tojson }};
    var order = Object.values(overlays), shown = new Set({{ this.shown|tojson }});
    var basemap = {{ this.basemap|tojson }};
    function report() {
        if (window.parent === window) { return; }  // a saved map file: no app to tell
        var view = {layers: order.filter(function (id) { return shown.has(id); }), basemap: basemap};
        var center = map.getCenter(), size = map.getSize();
        view.at = {lat: center.lat, lng: center.lng, zoom: map.getZoom(), width: size.x, height: size.y};
        moved = false;
        window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:setComponentValue",
                                   value: {map_view: view}, dataType: "json"}, "*");
    }
    map.on("overlayadd", function (e) { if (e.name in overlays) { shown.add(overlays[e.name]); report(); } });
    map.on("overlayremove", function (e) { if (e.name in overlays) { shown.delete(overlays[e.name]); report(); } });
    // a view the visitor moved to (pointer, wheel, keys; not the map's own moves: its first fit,
    // the inset) is sent only when the page asks, as the visitor goes for the map's buttons
    // (dashboard/share.py): panning and zooming never rerun the page
    var touched = false, moved = false;
    ["pointerdown", "wheel", "keydown", "touchstart"].forEach(function (type) {
        map.getContainer().addEventListener(type, function () { touched = true; }, {capture: true, passive: true});
    });
    map.on("moveend", function () { if (touched) { moved = true; touched = false; } });
    window.silkroadReportView = function () { if (moved) { report(); } };
    map.on("baselayerchange", function (e) { if (e.name in basemaps) { basemap = basemaps[e.name]; report(); } });
})();
{% endmacro %}
