"""Exports: RDF dumps in every standard format, query results as tables."""
