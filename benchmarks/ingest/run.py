"""Measure ingest by hand: the same as `kg bench ingest` (news list and report slice).

    .venv/bin/python benchmarks/ingest/run.py [--items 1,2,28] [--failures 20]
"""

from kg.cli import cli

if __name__ == "__main__":
    import sys

    cli(["bench", "ingest", *sys.argv[1:]], prog_name="kg")
