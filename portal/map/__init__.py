"""The map: `/kaart`, the embeddable `/kaart/embed` and their JSON data (see docs/map.md)."""
