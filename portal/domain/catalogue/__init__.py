"""The catalogue of listings: saving and publishing, themes, schedules, freshness, filtering and
full-text search, list cards and the public map.

What a visitor browses and an owner keeps up to date; matching lives beside it in `matching/`.
"""
