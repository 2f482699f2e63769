{% macro script(this, kwargs) %}
(function () {
    // the app moves the map by a message to this frame (dashboard/explorer.py: pan_map), so that
    // choosing a city in the sidebar does not send the whole map again as a new argument
    var map = {{ this._parent.get_name() }};
    window.addEventListener("message", function (event) {
        var data = event.data;
        if (event.origin !== window.location.origin || !data || data.type !== "silkroad:pan") { return; }
        if (isFinite(data.lat) && isFinite(data.lng)) { map.panTo([data.lat, data.lng]); }
    });
    window.silkroadPanReady = true;  // the app's message waits for this
})();
{% endmacro %}
