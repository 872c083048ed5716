"""The provider's metadata formats: one module per format, each ``element(dataset, header)``."""
