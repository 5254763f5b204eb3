"""The municipal officer's dashboard."""
