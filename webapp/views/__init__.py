"""Blueprints: pages for people, the JSON API, trainer handouts."""
