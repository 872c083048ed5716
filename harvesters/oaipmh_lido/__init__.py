"""Harvesting museum and gallery collections over OAI-PMH in LIDO (plugin: harvester.py)."""
