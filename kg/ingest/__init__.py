"""Ingest: read a new document, link what it mentions to the graph and propose new facts for review."""
