"""Network analytics with networkx: one projection of the RDF graph, and measures over it.

``projection`` turns the graph into a networkx multigraph once per data version;
``centrality``, ``communities``, ``paths``, ``funding`` and ``matrix`` read it; ``cache``
computes everything once per data version and keeps it on disk and in memory.
"""
