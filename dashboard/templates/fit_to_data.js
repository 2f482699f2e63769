{% macro script(this, kwargs) %}
(function () {
    // the first view: fitted to the data once the map has a size (its frame may still be empty
    // when this runs); until then a move the app asks for waits
    var map = {{ this._parent.get_name() }};
    var bounds = {{ this.bounds|tojson }}, options = {{ this.options|tojson }}, folded = {{ this.folded|tojson }};
    var view = {{ this.view|tojson }};  // a view to open at instead (a saved map: dashboard/map_export.py)
    var fitted = false, waiting = null;
    function fit() {
        var size = map.getSize();
        if (size.x < 50 || size.y < 50) { return false; }
        // not animated, here and in move(): a resize of the frame during an animation (Streamlit
        // lays the page out as the map loads) would leave the map off by half the change
        if (view) { map.setView([view.lat, view.lng], view.zoom, {animate: false}); }
        else if (bounds) {
            map.fitBounds(bounds, L.extend({animate: false}, folded && size.x < {{ this.narrow }} ? folded : options));
        }
        fitted = true;
        if (waiting) { move(waiting); waiting = null; }
        return true;
    }
    function move(data) {
        if (isFinite(data.lat) && isFinite(data.lng)) { map.panTo([data.lat, data.lng], {animate: false}); }
        map.fire("citychosen");  // the page's link names the city by now: its name is emphasised
    }
    if (!fit()) {  // the frame gets its size later: watch the map's box, not the window
        var observer = new ResizeObserver(function () {
            map.invalidateSize(false);
            if (fit()) { observer.disconnect(); }
        });
        observer.observe(map.getContainer());
    }
    // the app moves the map by a message to this frame (dashboard/explorer.py: pan_map), so that
    // choosing a city in the sidebar does not send the whole map again as a new argument
    window.addEventListener("message", function (event) {
        var data = event.data;
        if (event.origin !== window.location.origin || !data || data.type !== "silkroad:pan") { return; }
        if (fitted) { move(data); } else { waiting = data; }
    });
    window.silkroadPanReady = true;  // the app's message waits for this
})();
{% endmacro %}
