"""Places: the offline gazetteer, geocoding, locations and their public points, moving a point.

Everything that turns what a user typed or clicked into a place, and a place into what others see.
"""
