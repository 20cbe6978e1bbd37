"""Reading the graph: statistics, entity descriptions, search, the saved-query library."""
