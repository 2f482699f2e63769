"""Silk Road corridors dashboard: geodata, map building and details, testable without a server."""
