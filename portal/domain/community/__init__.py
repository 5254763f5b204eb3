"""The people and groups on the portal and how they reach each other: organisations,
volunteers, flessenpost wishes, contact between a need and its candidates, the village notice board."""
