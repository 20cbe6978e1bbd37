"""Local SPARQL servers on 127.0.0.1, started and stopped by tests, benchmarks and
``scripts/start-virtuoso.sh``: Oxigraph's server (from the ``oxigraph`` PyPI package) and
OpenLink Virtuoso (Debian's ``virtuoso-opensource``).

Each server is a context manager that starts the process in its own folder on free ports,
waits (bounded) until its HTTP port answers, and stops it on exit. ``spec`` is the store spec
that :func:`kg.store.open_store` understands.

    python -m kg.devtools.servers virtuoso --dir var/virtuoso --http-port 8890 --sql-port 1111
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import http.client
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from kg.errors import StoreError

__all__ = ["OxigraphServer", "VirtuosoServer", "free_port", "oxigraph_binary", "virtuoso_binary"]

log = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1
START_TIMEOUT = 90.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server binary: beside this Python first, then on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    """Virtuoso's server binary (Debian names it ``virtuoso-t``)."""
    return shutil.which("virtuoso-t")


def _wait_http(port: int, path: str, proc: subprocess.Popen[bytes], log_file: Path,
               timeout: float = START_TIMEOUT) -> None:
    """Poll ``http://127.0.0.1:port/path`` until it answers, the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StoreError(f"the server exited with code {proc.returncode}; see {log_file}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise StoreError(f"the server did not answer on port {port} within {timeout:g} s; see {log_file}")


def die_with_parent() -> None:
    """In a child before exec: ask Linux to send SIGTERM when the parent dies, so a server
    started by a test run that was killed (even with SIGKILL) does not run on forever."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the fixtures still stop it
        pass


class _Server:
    """Shared start/stop logic."""

    proc: subprocess.Popen[bytes] | None = None
    log_file: Path

    def _spawn(self, argv: list[str], cwd: Path) -> subprocess.Popen[bytes]:
        log.info("starting %s", " ".join(argv))
        with open(self.log_file, "ab") as out:
            return subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                    preexec_fn=die_with_parent)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 20 s)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class OxigraphServer(_Server):
    """``oxigraph serve`` on 127.0.0.1, persistent in ``folder``.

    Its default graph is a graph of its own (not the union of the named graphs): our stores
    keep the merged default graph there (see :class:`kg.store.base.Store`).

    Args:
        folder: the database folder (created; may already hold data, e.g. from :meth:`load`).
        port: the HTTP port (default: a free one).
        timeout_s: the server's own query time limit.
        read_only: ``oxigraph serve-read-only`` (no update, no GSP writes).
    """

    def __init__(self, folder: Path, port: int | None = None, timeout_s: int | None = None,
                 *, read_only: bool = False) -> None:
        binary = oxigraph_binary()
        if binary is None:
            raise StoreError("the oxigraph server binary is missing (pip install oxigraph)")
        self.binary = binary
        self.folder = Path(folder)
        self.port = port or free_port()
        self.timeout_s = timeout_s
        self.read_only = read_only
        self.log_file = self.folder.parent / f"{self.folder.name}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def spec(self) -> str:
        """Read-write spec: queries, updates and Graph Store Protocol."""
        return f"sparql+{self.base_url}/query?update=/update&gsp=/store"

    def load(self, path: Path, graph: str | None = None) -> None:
        """Bulk-load a file offline (``oxigraph load``) into ``graph`` (default: the default
        graph), before :meth:`start`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        argv = [self.binary, "load", "--location", str(self.folder), "--file", str(path)]
        if graph:
            argv += ["--graph", graph]
        done = subprocess.run(argv, capture_output=True, timeout=3600, check=False)
        if done.returncode != 0:
            raise StoreError(f"oxigraph load failed: {done.stderr.decode(errors='replace')[-2000:]}")

    def start(self) -> OxigraphServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        argv = [self.binary, "serve-read-only" if self.read_only else "serve",
                "--location", str(self.folder), "--bind", f"127.0.0.1:{self.port}"]
        if self.timeout_s:
            argv += ["--timeout-s", str(self.timeout_s)]
        self.proc = self._spawn(argv, self.folder)
        try:
            _wait_http(self.port, "/query?query=ASK%7B%7D", self.proc, self.log_file, 30)
        except StoreError:
            self.stop()
            raise
        return self

    def __enter__(self) -> OxigraphServer:
        return self.start()


VIRTUOSO_INI = """\
; written by kg.devtools.servers: a private Virtuoso on 127.0.0.1
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 1G
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
MaxClientConnections = 20
ServerThreads = 20
MaxKeepAlives = 20
KeepAliveTimeout = 60
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = {query_timeout}
MaxSortedTopRows = 10000000
"""

#: Lets the anonymous SPARQL user load and clear over HTTP. Only for private servers on
#: 127.0.0.1: a shared Virtuoso is loaded with its bulk loader and served read-only.
VIRTUOSO_GRANTS = (
    'GRANT SPARQL_UPDATE TO "SPARQL"; '
    'GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL"; '
    'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL"; '
)


class VirtuosoServer(_Server):
    """A private Virtuoso in ``folder`` on 127.0.0.1 (own SQL and HTTP ports).

    Args:
        folder: its database folder (created).
        http_port, sql_port: ports (default: free ones).
        memory_gb: buffer memory to size the page cache for (Virtuoso's rule: 85 k buffers/GB).
        writable: grant the anonymous SPARQL user update rights (private servers only).
    """

    def __init__(self, folder: Path, http_port: int | None = None, sql_port: int | None = None,
                 *, memory_gb: float = 1.0, writable: bool = True, query_timeout: int = 120) -> None:
        binary = virtuoso_binary()
        if binary is None:
            raise StoreError("virtuoso-t is missing (Debian: apt-get install virtuoso-opensource)")
        self.binary = binary
        self.folder = Path(folder).resolve()
        self.http_port = http_port or free_port()
        self.sql_port = sql_port or free_port()
        self.memory_gb = memory_gb
        self.writable = writable
        self.query_timeout = query_timeout
        self.log_file = self.folder / "console.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/sparql"

    def spec(self, scope: str = "https://data.kfvn.se/graph/", *, writable: bool = True) -> str:
        """The store spec. Virtuoso holds system graphs and answers the union of all graphs
        by default, so a ``scope`` is always given (the default graph is ``<scope>default``)."""
        extra = "&update=/sparql&gsp=/sparql-graph-crud" if writable else ""
        return f"sparql+{self.base_url}/sparql?scope={scope}{extra}"

    def write_ini(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "vsp").mkdir(exist_ok=True)
        buffers = int(85_000 * self.memory_gb)
        ini = VIRTUOSO_INI.format(dir=self.folder, sql_port=self.sql_port,
                                  http_port=self.http_port, buffers=buffers,
                                  dirty=buffers * 3 // 4, query_timeout=self.query_timeout)
        path = self.folder / "virtuoso.ini"
        path.write_text(ini, encoding="utf-8")
        return path

    def isql(self, sql: str, timeout: float = 600) -> str:
        """Run SQL through ``isql-vt`` as dba (the private server's default password)."""
        isql = shutil.which("isql-vt") or shutil.which("isql")
        if isql is None:
            raise StoreError("isql-vt is missing (part of virtuoso-opensource)")
        done = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                              capture_output=True, timeout=timeout, check=False)
        out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
        if done.returncode != 0 or "*** Error" in out:
            raise StoreError(f"isql failed: {out[-2000:]}")
        return out

    def start(self) -> VirtuosoServer:
        ini = self.write_ini()
        self.proc = self._spawn([self.binary, "+foreground", "+configfile", str(ini)], self.folder)
        try:
            _wait_http(self.http_port, "/sparql?query=ASK%7B%7D", self.proc, self.log_file)
            if self.writable:
                self.isql(VIRTUOSO_GRANTS)
        except StoreError:
            self.stop()
            raise
        return self

    def __enter__(self) -> VirtuosoServer:
        return self.start()


def _main(argv: list[str] | None = None) -> int:
    """Run a private server in the foreground until Ctrl-C (used by scripts/start-virtuoso.sh)."""
    ap = argparse.ArgumentParser(prog="python -m kg.devtools.servers", description=__doc__)
    ap.add_argument("kind", choices=["virtuoso", "oxigraph"])
    ap.add_argument("--dir", default="var/virtuoso", help="database folder")
    ap.add_argument("--http-port", type=int, default=8890)
    ap.add_argument("--sql-port", type=int, default=1111)
    ap.add_argument("--memory-gb", type=float, default=2.0)
    ap.add_argument("--read-only", action="store_true", help="do not grant SPARQL update rights")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server: OxigraphServer | VirtuosoServer
    if args.kind == "virtuoso":
        server = VirtuosoServer(Path(args.dir), args.http_port, args.sql_port,
                                memory_gb=args.memory_gb, writable=not args.read_only)
        spec = server.spec(writable=not args.read_only)
    else:
        server = OxigraphServer(Path(args.dir), args.http_port)
        spec = server.spec
    with server:
        sys.stdout.write(f"{args.kind} is up (pid {server.pid}); store spec:\n  {spec}\n"
                         "Ctrl-C stops it.\n")
        sys.stdout.flush()
        try:
            while server.proc is not None and server.proc.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(_main())
