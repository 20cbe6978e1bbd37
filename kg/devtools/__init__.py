"""Tools for developers, apart from the data flow: the synthetic graph generator, private
SPARQL servers for tests and benchmarks, and the package-layer check."""
