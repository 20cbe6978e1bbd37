"""From files to the store: parse (with file and line on error), build atomically, validate."""
