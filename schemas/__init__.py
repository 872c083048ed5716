"""Dataset schemas (ckanext-scheming YAML) and the action-plan taxonomy, shipped as data."""
