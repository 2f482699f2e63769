{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new L.Control.MiniMap(
    L.geoJson({{ this.countries|tojson }}, {
        style: {color: "#a6acaf", weight: 0.5, fillColor: "#f8f6f0", fillOpacity: 1},
        interactive: false}),
    {position: "bottomleft", toggleDisplay: true, zoomLevelOffset: -5, width: 130, height: 100,
     minimized: {{ this.compact|tojson }} && {{ this._parent.get_name() }}.getSize().x < {{ this.narrow }}}
);
(function (inset) {
    // the inset moves the main map only when the visitor drags or scrolls it: its own moves (it
    // follows the main map, and is resized when minimised or restored) would otherwise move the
    // main map to the inset's centre, far off the data when the inset is small
    var follow = inset._onMiniMapMoved, used = false;
    inset._onMiniMapMoved = function (e) {
        if (!used) {  // as the plugin does after its own move, but leave the main map where it is
            this._mainMapMoving = false;
            this._shadowRect.setStyle({opacity: 0, fillOpacity: 0});
            return;
        }
        used = false;
        return follow.call(this, e);
    };
    inset.addTo({{ this._parent.get_name() }});
    ["pointerdown", "wheel", "touchstart"].forEach(function (type) {
        inset._miniMap.getContainer().addEventListener(type, function () { used = true; }, {capture: true, passive: true});
    });
})({{ this.get_name() }});
{% endmacro %}
