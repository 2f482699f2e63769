{% macro script(this, kwargs) %}
(function () {
    // the map's controls leave room for the map: below {{ this.narrow }} px wide, the legend
    // starts closed and the layer control is a button (the minimap starts minimised, minimap.js)
    var map = {{ this._parent.get_name() }}, control = {{ this.control }};
    if ({{ this.compact|tojson }} && map.getSize().x < {{ this.narrow }}) {
        var legend = map.getContainer().querySelector(".map-legend details");
        if (legend) { legend.removeAttribute("open"); }
    } else if ({{ this.compact|tojson }}) {  // wide enough: the layer control stays open
        control.expand();
        map.off("click", control.collapse, control);
        L.DomEvent.off(control.getContainer(), "mouseleave", control.collapse, control);
    }
})();
{% endmacro %}
