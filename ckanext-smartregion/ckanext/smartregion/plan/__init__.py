"""The action plan: its structure (taxonomy), its public pages, dashboards and counts."""
