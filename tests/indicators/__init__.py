"""Tests of indicator values, progress and their outputs."""
