"""Open-data publication: the DCAT-AP-CZ local catalogue (LKOD) for NKOD and the RDF profile."""
