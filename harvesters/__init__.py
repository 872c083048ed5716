"""Harvesters of the Smarter Liberec Region portal, one module per source kind."""
