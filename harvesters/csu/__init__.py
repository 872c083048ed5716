"""The ``csu`` harvester: other regions' values of an indicator from a ČSÚ open-data CSV."""
