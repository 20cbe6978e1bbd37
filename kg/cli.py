"""The `kg` command: thin wrappers over the package (build, validate, query, export, ...).

Errors from the package become a one-line message on stderr and exit code 1 (2 for usage).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kg.config import Settings
from kg.errors import KgError, ValidationError
from kg.store.base import QueryResult

__all__ = ["main"]

RDF_OUT = ("turtle", "ntriples", "jsonld", "rdfxml")


class _Ctx:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings


pass_ctx = click.make_pass_decorator(_Ctx)


def _fail(exc: KgError) -> None:
    click.secho(f"fel: {exc}", fg="red", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False),
              help="TOML settings file (see README: Settings).")
@click.option("--store", help="Store spec: oxigraph:DIR, memory or sparql+http://HOST/PATH.")
@click.version_option(package_name="samverkansgrafen")
@click.pass_context
def cli(ctx: click.Context, settings_file: str | None, store: str | None) -> None:
    """Samverkansgrafen: build, check, query and publish the knowledge graph."""
    try:
        settings = Settings.load(settings_file, store=store)
    except KgError as exc:
        _fail(exc)
    ctx.obj = _Ctx(settings)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on large inputs).")
@click.option("--provenance/--no-provenance", default=True, show_default=True,
              help="Also keep one named graph per file (who says what). Off halves the load "
                   "of large generated graphs.")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the files against the SHACL shapes first; refuse them if they fail.")
@click.option("--allow-empty", is_flag=True,
              help="Build even when the data is empty or much smaller than the store it replaces.")
@pass_ctx
def build(ctx: _Ctx, files: tuple[Path, ...], progress: bool | None, provenance: bool,
          validate: bool, allow_empty: bool) -> None:
    """Load the ontology and the data folder (or the ontology and FILES) into a fresh store.

    The files are checked against the SHACL shapes first (``--no-validate`` skips it); the
    new store is built beside the old one and swapped in only when everything loaded. An
    empty or nearly empty build is refused unless ``--allow-empty``.
    """
    from kg.load.loader import build as do_build
    from kg.load.loader import bundled_files, ontology_files

    try:
        chosen = [*ontology_files(ctx.settings), *files] if files else None
        if validate:
            _validate_first(ctx.settings, chosen or bundled_files(ctx.settings))
        report = do_build(ctx.settings, chosen, progress=progress, provenance=provenance,
                          then=None if files else _replay_journal(ctx.settings),
                          allow_empty=allow_empty)
    except KgError as exc:
        _fail(exc)
    click.echo(f"{report.quads} kvadrupler från {len(report.files)} filer laddade i "
               f"{report.seconds:.2f} s till {report.store} (dataversion {report.version})")


def _replay_journal(settings: Settings) -> Any:
    """The build step that applies the edit journal's published changesets (kg.edit)."""
    from kg.edit.replay import replay

    def then(store: Any) -> None:
        n = replay(store, settings)
        if n:
            click.echo(f"{n} publicerade ändringar från {settings.journal_dir} återspelade", err=True)

    return then


def _validate_first(settings: Settings, files: list[Path]) -> None:
    """Refuse files that do not conform to the shapes, before anything is changed."""
    from kg.load.validate import check

    try:
        check(files, settings.ontology_dir / "shapes.ttl")
    except ValidationError as exc:
        click.secho(str(exc), fg="red", err=True)
        click.secho("Inget ändrades (--no-validate laddar ändå).", err=True)
        sys.exit(1)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the store's files and FILES against the SHACL shapes first.")
@pass_ctx
def load(ctx: _Ctx, files: tuple[Path, ...], validate: bool) -> None:
    """Add extra RDF FILES to the store (each into the graph named after the file)."""
    from kg.load.loader import add_files, bundled_files, open_handle

    try:
        if validate:
            _validate_first(ctx.settings, [*bundled_files(ctx.settings), *files])
        report = add_files(open_handle(ctx.settings), list(files), ctx.settings)
    except KgError as exc:
        _fail(exc)
    click.echo(f"{report.quads} kvadrupler tillagda från {len(files)} fil(er)")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--shapes", type=click.Path(path_type=Path), help="SHACL shapes (default: ontology/shapes.ttl).")
@pass_ctx
def validate(ctx: _Ctx, files: tuple[Path, ...], shapes: Path | None) -> None:
    """Check the data (or FILES, together with the ontology) against the SHACL shapes."""
    from kg.load.loader import bundled_files
    from kg.load.validate import check

    s = ctx.settings
    targets = bundled_files(s)
    if files:
        targets = [p for p in targets if p.parent == s.ontology_dir] + list(files)
    try:
        check(targets, shapes or s.ontology_dir / "shapes.ttl")
    except ValidationError as exc:
        click.secho(str(exc), fg="red", err=True)
        sys.exit(1)
    except KgError as exc:
        _fail(exc)
    click.echo(f"OK: {len(targets)} filer uppfyller SHACL-formerna")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--shapes", type=click.Path(path_type=Path), help="SHACL shapes (default: ontology/shapes.ttl).")
@click.option("--json", "as_json", is_flag=True, help="The report as JSON.")
@click.option("--examples", default=5, show_default=True, help="Examples shown per rule.")
@pass_ctx
def check(ctx: _Ctx, files: tuple[Path, ...], shapes: Path | None, as_json: bool, examples: int) -> None:
    """Data-quality report: SHACL plus the rules of docs/modelling.md, as a table (exit 1 on failures)."""
    import json

    from kg.load.loader import bundled_files
    from kg.load.quality import check_files, format_table

    s = ctx.settings
    targets = bundled_files(s)
    if files:
        targets = [p for p in targets if p.parent == s.ontology_dir] + list(files)
    try:
        report = check_files(targets, shapes or s.ontology_dir / "shapes.ttl", examples)
    except KgError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(report))
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("sparql", required=False)
@click.option("--file", "-f", "qfile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--saved", help="Run a query from the library by name.")
@click.option("--param", "-p", multiple=True, help="Parameter of a saved query: name=value.")
@click.option("--format", "-o", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld", "rdfxml"]),
              help="Output format.")
@click.option("--limit", type=int, help="Most rows to return.")
@pass_ctx
def query(ctx: _Ctx, sparql: str | None, qfile: Path | None, saved: str | None,
          param: tuple[str, ...], fmt: str, limit: int | None) -> None:
    """Run a SPARQL query (a string, a .rq file or a saved query) and print the result."""
    from kg.io.formats import rdf_format, result_format
    from kg.load.loader import open_built_store

    try:
        store = open_built_store(ctx.settings)
        result: QueryResult
        if saved:
            from kg.query.catalog import load_catalog

            q = load_catalog().get(saved)
            values = dict(_split_param(p) for p in param)
            result = q.run(store, values, limit=limit)
        else:
            text = qfile.read_text(encoding="utf-8") if qfile else sparql
            if not text:
                raise click.UsageError("give a SPARQL string, --file or --saved")
            result = store.query(text, limit=limit)
        if result.kind == "CONSTRUCT":
            out_fmt: Any = rdf_format(fmt if fmt in RDF_OUT else "turtle")
        else:
            out_fmt = result_format(fmt if fmt not in RDF_OUT else "table")
        from kg.io.results import serialize_result

        sys.stdout.write(serialize_result(result, out_fmt).decode("utf-8"))
        if out_fmt.name == "table":
            sys.stdout.write("\n")
    except KgError as exc:
        _fail(exc)


def _split_param(p: str) -> tuple[str, str]:
    if "=" not in p:
        raise click.BadParameter(f"{p!r}: write name=value", param_hint="--param")
    k, v = p.split("=", 1)
    return k.strip(), v


@cli.command()
@click.option("--format", "fmt", default="turtle", show_default=True,
              help="turtle, ntriples, jsonld, rdfxml, trig or nquads.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@pass_ctx
def export(ctx: _Ctx, fmt: str, out: Path | None) -> None:
    """Export the whole graph in an RDF format (written atomically with --out)."""
    from kg.export.dumps import dump_bytes, dump_to
    from kg.io.formats import rdf_format
    from kg.load.loader import open_built_store

    try:
        f = rdf_format(fmt)
        store = open_built_store(ctx.settings)
        if out:
            dump_to(store, out, f)
            click.echo(f"skrev {out} ({f.label})", err=True)
        else:
            sys.stdout.buffer.write(dump_bytes(store, f))
    except KgError as exc:
        _fail(exc)


@cli.command()
@click.option("--top", default=10, show_default=True, help="How many most-connected entities.")
@pass_ctx
def stats(ctx: _Ctx, top: int) -> None:
    """Counts by class and the most connected entities."""
    from kg.load.loader import open_built_store
    from kg.query.stats import graph_stats

    try:
        st = graph_stats(open_built_store(ctx.settings), top)
    except KgError as exc:
        _fail(exc)
    click.echo(f"Samverkansgrafen: {st.triples} tripplar (sammanslagna) i {len(st.graphs)} källgrafer\n")
    for curie, sv, en, n in st.by_class:
        click.echo(f"  {sv:<26} {n:>6}   ({en}, {curie})")
    click.echo("\nMest sammankopplade (most connected):")
    for _iri, label, n in st.most_connected:
        click.echo(f"  {n:>5}  {label}")


@cli.command()
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port (default 5000).")
@click.option("--store", "store_spec", help="Store spec (overrides --store of the group).")
@click.option("--threads", type=int, help="Worker threads.")
@pass_ctx
def serve(ctx: _Ctx, host: str | None, port: int | None, store_spec: str | None,
          threads: int | None) -> None:
    """Serve the web app with waitress (a production WSGI server)."""
    s = ctx.settings.with_(**{k: v for k, v in
                              {"host": host, "port": port, "store": store_spec, "threads": threads}.items()
                              if v is not None})
    try:
        from waitress import serve as wserve

        from kg.load.loader import open_handle
        from webapp import create_app, warmup

        app = create_app(s, handle=open_handle(s, then=_replay_journal(s)))
        click.echo("Förbereder sidorna ...")
        warmup.start(app)
    except KgError as exc:
        _fail(exc)
    from webapp.serving import quiet_queue_warnings, waitress_options

    quiet_queue_warnings()
    click.echo(f"Samverkansgrafen på http://{s.host}:{s.port}/  (store: {s.store})")
    wserve(app, **waitress_options(s))


@cli.command()
@click.option("--triples", "-n", required=True, type=int, help="About how many triples (1 000 to 20 000 000).")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (N-Triples; a .ttl name gets the same lines, valid Turtle).")
@click.option("--seed", default=1, show_default=True, help="Random seed: same seed, same graph.")
@pass_ctx
def generate(ctx: _Ctx, triples: int, out: Path, seed: int) -> None:
    """Write a synthetic graph shaped like ours (for benchmarks and scale tests)."""
    from kg.devtools.generate import generate as do_generate

    try:
        r = do_generate(triples, out, seed, ctx.settings.ontology_dir / "vocabularies.ttl")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--triples") from exc
    click.echo(f"{r.triples} tripler ({r.projects} projekt, {r.organisations} organisationer, "
               f"{r.people} personer) skrivna till {out} på {r.seconds:.1f} s")


@cli.group(invoke_without_command=True)
@click.option("--sizes", default="10k,100k,1M", show_default=True, help="Graph sizes, e.g. 10k,100k,1M,5M.")
@click.option("--seed", default=1, show_default=True)
@click.option("--samples", default=30, show_default=True, help="Requests timed per operation.")
@click.option("--quick", is_flag=True, help="Few samples, no browser: a smoke run.")
@click.option("--work-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("var/bench"),
              show_default=True, help="Generated graphs, stores and caches.")
@click.option("--rdflib-max", default=100_000, show_default=True, help="Largest size also run on rdflib in memory.")
@click.option("--endpoint/--no-endpoint", default=True, help="The /sparql mix against Oxigraph's server.")
@click.option("--browser/--no-browser", default=True, help="The graph view in headless Chromium.")
@click.option("--serving/--no-serving", default=True,
              help="kg serve: first request, 50 clients with wrk, a published change.")
@click.option("--operations/--no-operations", default=True,
              help="The pages, searches, saved queries and analytics through the app.")
@click.option("--wrk-seconds", default=60, show_default=True, help="Length of each wrk run.")
@click.option("--only", default="", help="Time only the operations whose names contain one of "
              "these comma-separated words, e.g. 'hub,entity page'.")
@click.option("--reuse-store", is_flag=True, help="Serve the store an earlier run loaded "
              "(work-dir/store-SIZE) instead of timing the loads again.")
@click.option("--markdown", type=click.Path(dir_okay=False, path_type=Path), help="Also write the Markdown table here.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every number here.")
@click.pass_context
def bench(cctx: click.Context, sizes: str, seed: int, samples: int, quick: bool, work_dir: Path, rdflib_max: int,
          endpoint: bool, browser: bool, serving: bool, operations: bool, wrk_seconds: int,
          only: str, reuse_store: bool, markdown: Path | None, json_out: Path | None) -> None:
    """Benchmark loading and every user-facing operation against the raw store
    (`kg bench ingest`: how well ingest proposes facts)."""
    if cctx.invoked_subcommand is not None:
        return
    from kg.bench import BenchConfig, run_bench
    from kg.bench.report import markdown as to_markdown
    from kg.devtools.generate import sizes as parse_sizes

    config = BenchConfig(list(parse_sizes(sizes)), seed, samples, work_dir, rdflib_max,
                         endpoint=endpoint, browser=browser, serving=serving,
                         operations=operations, wrk_seconds=wrk_seconds, quick=quick,
                         only=[part.strip() for part in only.split(",") if part.strip()],
                         reuse_store=reuse_store, echo=click.echo,
                         progress=lambda msg: click.echo(f"… {msg}", err=True))
    try:
        reports = run_bench(config)
    except KgError as exc:
        _fail(exc)
    if markdown:
        markdown.write_text(to_markdown(reports) + "\n", encoding="utf-8")
    if json_out:
        import json

        json_out.write_text(json.dumps([r.as_dict() for r in reports], indent=1, default=str),
                            encoding="utf-8")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@pass_ctx
def ingest(ctx: _Ctx, file: Path, as_json: bool) -> None:
    """Read a document (.txt, .html, .pdf, .docx; - for stdin) and print the entities it mentions
    and the facts it proposes, each with its sentence. Publishes nothing."""
    import json

    from kg.ingest.extract import extract
    from kg.ingest.pipeline import analyse
    from kg.ingest.report import render_table
    from kg.load.loader import open_built_store

    try:
        if str(file) == "-":
            data, name = sys.stdin.buffer.read(), None
        else:
            if not file.is_file():
                raise KgError(f"filen {file} finns inte")
            size = file.stat().st_size
            from kg.ingest.extract import MAX_BYTES

            if size > MAX_BYTES:
                raise KgError(f"filen {file} är för stor ({size / 1024 / 1024:.1f} MB); "
                              f"högst {MAX_BYTES // 1024 // 1024} MB")
            data, name = file.read_bytes(), file.name
        doc = extract(data, name)
        store = open_built_store(ctx.settings)
        result = analyse(store, doc)
    except KgError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(render_table(result))


@bench.command("ingest")
@click.option("--items", help="Only these news items (1-based, comma-separated), e.g. 1,2,28.")
@click.option("--failures", default=8, show_default=True, help="Failures listed per kind.")
@click.option("--min", "minimum", multiple=True, help="Fail unless KIND:precision:recall is met, e.g. "
              "\"belopp:0.9:0.9\" (used by CI).")
@pass_ctx
def bench_ingest(ctx: _Ctx, items: str | None, failures: int, minimum: tuple[str, ...]) -> None:
    """Measure ingest: precision and recall per kind on the news list and the report slice,
    each ingested into a graph built without its own data file."""
    from kg.ingest.measure import measure_news, measure_report, render

    chosen = [int(x) for x in items.split(",")] if items else None
    news = measure_news(ctx.settings, chosen)
    click.echo(render(news, "Nyhetslistan (aktuellt-nyheter.txt, en nyhet i taget)", show_failures=failures))
    report = None
    if chosen is None:
        report, missing = measure_report(ctx.settings)
        click.echo("")
        click.echo(render(report, "Verksamhetsberättelsen 2018, utdrag", show_failures=failures))
        if missing:
            click.echo("\nObs: listan över utdragets noder nämner IRI:er som datafilen inte längre har: "
                       + ", ".join(missing))
    bad = []
    for spec in minimum:
        kind, p_min, r_min = spec.rsplit(":", 2)
        s = news[kind]
        if (s.precision or 0) < float(p_min) or (s.recall or 0) < float(r_min):
            bad.append(f"{kind}: precision {s.precision}, recall {s.recall} (krav {p_min}/{r_min})")
    if bad:
        click.secho("under kraven: " + "; ".join(bad), fg="red", err=True)
        sys.exit(1)


@cli.group()
def user() -> None:
    """Editors' accounts (roles: redaktör, granskare, admin)."""


def _accounts(ctx: _Ctx) -> Any:
    from kg.edit.accounts import Accounts

    return Accounts(ctx.settings.accounts_file)


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Lösenord", hide_input=True, confirmation_prompt="Lösenord igen"))


@user.command("add")
@click.argument("username")
@click.option("--name", required=True, help="Display name, e.g. 'Anna Andersson'.")
@click.option("--role", required=True, type=click.Choice(["redaktör", "granskare", "admin"]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_ctx
def user_add(ctx: _Ctx, username: str, name: str, role: str, password_stdin: bool) -> None:
    """Create an account (the first one: --role admin)."""
    from kg.edit.accounts import AccountError

    try:
        account = _accounts(ctx).add(username, name, role, _password(password_stdin))
    except AccountError as exc:
        _fail(exc)
    click.echo(f"konto {account.username} ({account.role}) skapat i {ctx.settings.accounts_file}")


@user.command("list")
@pass_ctx
def user_list(ctx: _Ctx) -> None:
    """List the accounts."""
    for a in _accounts(ctx).all():
        click.echo(f"{a.username:<20} {a.role:<10} {'aktivt' if a.active else 'avstängt':<9} {a.name}")


@user.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_ctx
def user_passwd(ctx: _Ctx, username: str, password_stdin: bool) -> None:
    """Set a new password."""
    from kg.edit.accounts import AccountError

    try:
        _accounts(ctx).set_password(username, _password(password_stdin))
    except AccountError as exc:
        _fail(exc)
    click.echo(f"nytt lösenord för {username}")


@user.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(["redaktör", "granskare", "admin"]))
@pass_ctx
def user_role(ctx: _Ctx, username: str, role: str) -> None:
    """Change an account's role."""
    from kg.edit.accounts import AccountError

    try:
        _accounts(ctx).set_role(username, role)
    except AccountError as exc:
        _fail(exc)
    click.echo(f"{username} är nu {role}")


@user.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Switch the account on again.")
@pass_ctx
def user_disable(ctx: _Ctx, username: str, enable: bool) -> None:
    """Switch an account off (its sessions end at once), or on with --enable."""
    from kg.edit.accounts import AccountError

    try:
        _accounts(ctx).set_active(username, enable)
    except AccountError as exc:
        _fail(exc)
    click.echo(f"{username} är {'aktiverat' if enable else 'avstängt'}")


@cli.group()
def changes() -> None:
    """The edit journal: list and export changesets."""


@changes.command("list")
@click.option("--all", "everything", is_flag=True, help="Also proposals and rejected changes.")
@pass_ctx
def changes_list(ctx: _Ctx, everything: bool) -> None:
    """List the changesets of the journal, oldest first."""
    from kg.edit.journal import Journal

    try:
        items = Journal(ctx.settings.journal_dir, ctx.settings.base_iri).changesets()
    except KgError as exc:
        _fail(exc)
    for cs in items:
        if everything or cs.state == "approved":
            click.echo(f"{cs.id}  {cs.state:<9} {cs.author:<12} {cs.summary or cs.reason}")


@changes.command("export")
@click.option("--format", "fmt", default="trig", show_default=True, type=click.Choice(["trig", "turtle"]))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@pass_ctx
def changes_export(ctx: _Ctx, fmt: str, out: Path | None) -> None:
    """Write the published changes as TriG (a graph per changeset) or Turtle."""
    from kg.edit.export import export_changes, write_atomically
    from kg.edit.journal import Journal

    try:
        data = export_changes(Journal(ctx.settings.journal_dir, ctx.settings.base_iri), ctx.settings.base_iri, fmt)
    except KgError as exc:
        _fail(exc)
    if out:
        write_atomically(out, data)
        click.echo(f"skrev {out}", err=True)
    else:
        sys.stdout.buffer.write(data)


def main() -> None:
    """Entry point of the `kg` console script."""
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
