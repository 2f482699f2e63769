"""The offline base map's build (`make basemap`, run by set-up): relief, water, borders and
place names from public data installed from package registries. See scripts/make_basemap.py."""
