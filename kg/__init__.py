"""Samverkansgrafen: the knowledge graph of Kommunförbundet Västernorrland's collaborations.

The package reads the curated data in ``data/`` and the ontology in ``ontology/`` into a
store (embedded Oxigraph by default), validates it against SHACL shapes, answers SPARQL,
computes network analytics and exports every standard format.
"""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
