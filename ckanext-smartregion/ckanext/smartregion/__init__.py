"""CKAN extension of the Smarter Liberec Region open-data portal."""
