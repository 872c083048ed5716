"""OAI-PMH 2.0 data provider of the portal's collection objects (LIDO 1.1, EDM, oai_dc)."""
