"""Indicator values (DataStore series), their progress status, pages and downloads."""
