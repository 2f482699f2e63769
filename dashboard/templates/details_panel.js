{% macro script(this, kwargs) %}
(function () {
    // the selected city's details in a panel that folds, and its point ringed (a saved map:
    // dashboard/map_export.py); a panel, not a popup: a popup would pan the map off its view
    var map = {{ this._parent.get_name() }};
    L.circleMarker([{{ this.lat }}, {{ this.lng }}], {radius: 9, color: "#b03a2e", weight: 3, fill: false,
                                                     interactive: false}).addTo(map);
    var panel = L.control({position: "topleft"});
    panel.onAdd = function () {
        var div = L.DomUtil.create("div", "details-panel");
        div.innerHTML = {{ this.html|tojson }};  // built from a template with every value escaped
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    panel.addTo(map);
})();
{% endmacro %}
