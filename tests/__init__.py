"""Tests of the Smarter Liberec Region portal, grouped by feature."""
