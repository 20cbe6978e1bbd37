"""The base of the package: RDF terms and their conversions, file and result formats,
parsing with file and line on error, SPARQL text, atomic writes.

Everything above (store, load, query, analytics, export, edit, ingest) builds on this
package; it imports nothing from them (only :mod:`kg.errors` and :mod:`kg.namespaces`).
"""
