{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new L.Control.MiniMap(
    L.geoJson({{ this.countries|tojson }}, {
        style: {color: "#a6acaf", weight: 0.5, fillColor: "#f8f6f0", fillOpacity: 1},
        interactive: false}),
    {position: "bottomleft", toggleDisplay: true, zoomLevelOffset: -5, width: 130, height: 100,
     minimized: {{ this.compact|tojson }} && {{ this._parent.get_name() }}.getSize().x < {{ this.narrow }}}
).addTo({{ this._parent.get_name() }});
{% endmacro %}
