"""Which source files `status` reads, which platform each belongs to, and their facts — from the cache when the
file's bytes are unchanged, else parsed (on every core when there are many).

Skipped: what .gitignore files ignore, vendored and generated folders (node_modules, Pods, build...), files that
say they are generated, symbolic links, and files over 2 MB (bundles, minified code; said, not dropped)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracking_plan import __version__
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.status.facts import Call, FileFacts
from tracking_plan.status.syntax import SUFFIXES, read_facts

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

SKIPPED_FOLDERS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "bower_components", "vendor", "third_party", "Pods", "Carthage",
    "DerivedData", ".build", "build", "dist", ".gradle", ".idea", "target", "out", ".next", ".nuxt", ".venv", "venv",
    "site-packages", "__pycache__", ".mypy_cache", ".tox", "coverage", "generated", "__generated__",
})
LANGUAGE_PLATFORMS = {"typescript": "web", "javascript": "web", "python": "backend", "kotlin": "android",
                      "swift": "ios", "java": "backend", "go": "backend",
                      "csharp": "backend"}
"""A file's platform when nothing else says (Java: a server's; an Android app's Java is named by `platforms:`)."""
MAX_BYTES = 2 << 20
_FACTS_VERSION = "2"
_PARALLEL_FROM = 64
"""Below this many files to parse, starting worker processes costs more than it saves."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    shown: str
    language: str
    platform: str


def _ignore_spec(folder: Path) -> GitIgnoreSpec | None:
    ignore = folder / ".gitignore"
    if not ignore.is_file() or ignore.is_symlink():
        return None
    import pathspec

    try:
        lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _walk(root: Path) -> Iterator[Path]:
    """Regular files below `root`, in a stable order, honouring each folder's .gitignore."""
    stack: list[tuple[Path, list[tuple[Path, GitIgnoreSpec]]]] = [(root, [])]
    while stack:
        folder, specs = stack.pop()
        spec = _ignore_spec(folder)
        if spec is not None:
            specs = [*specs, (folder, spec)]
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        folders = []
        for entry in entries:
            if entry.is_symlink():
                continue
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and entry.name in SKIPPED_FOLDERS:
                continue
            path = Path(entry.path)
            if _ignored(path, is_dir, specs):
                continue
            if is_dir:
                folders.append(path)
            elif entry.is_file(follow_symlinks=False) and Path(entry.name).suffix.lower() in SUFFIXES:
                yield path
        stack.extend((f, specs) for f in reversed(folders))


def _ignored(path: Path, is_dir: bool, specs: list[tuple[Path, GitIgnoreSpec]]) -> bool:
    for base, spec in specs:
        relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        if spec.match_file(relative):
            return True
    return False


def _shown(absolute: str, cwd: str, given: Path) -> str:
    """Relative to where status runs when the file is below it (as annotations want), else as given."""
    if absolute.startswith(cwd + os.sep):
        return absolute[len(cwd) + 1:].replace(os.sep, "/")
    return given.as_posix()


def source_files(roots: list[str], platforms: Mapping[str, str]) -> list[SourceFile]:
    """The files to read under `roots` (files or folders), each with its platform: the longest matching
    `platforms` path (platform → folder), else its language's usual platform."""
    mapped = sorted(((os.path.abspath(folder), name) for name, folder in platforms.items()),
                    key=lambda item: len(item[0]), reverse=True)
    cwd = os.getcwd()
    found: dict[str, SourceFile] = {}
    for root in roots:
        path = Path(root)
        if not path.exists():
            raise UsageError(f"{root} does not exist.", "Name the folders holding the app's source code.")
        candidates = [path] if path.is_file() else _walk(path)
        for file in candidates:
            grammar = SUFFIXES.get(file.suffix.lower())
            if grammar is None:
                continue
            absolute = os.path.abspath(file)
            platform = next((name for folder, name in mapped if absolute == folder
                             or absolute.startswith(folder + os.sep)), LANGUAGE_PLATFORMS[grammar.name])
            found.setdefault(absolute, SourceFile(file, _shown(absolute, cwd, file), grammar.name, platform))
    return sorted(found.values(), key=lambda f: f.shown)


def _digest(language: str, data: bytes, salt: str) -> str:
    return hashlib.blake2b(data, digest_size=20, person=language.encode()[:16],
                           key=salt.encode()[:64]).hexdigest()


def _dump_calls(calls: Iterable[Call]) -> str:
    return json.dumps([c.dump() for c in calls], separators=(",", ":"), ensure_ascii=False)


def _load_calls(text: str) -> tuple[Call, ...]:
    return tuple(Call.load(raw) for raw in json.loads(text))


def _parse(job: tuple[str, str, str]) -> tuple[str, bool, str, dict[str, list[str]], dict[str, str]]:
    """In a worker: read and parse one file; the facts come back as text (cheap to pass between processes)."""
    path, language, tracker_class = job
    facts = read_facts(language, Path(path).read_bytes(), (tracker_class,))
    return (path, facts.generated, _dump_calls(facts.calls), {k: list(v) for k, v in facts.functions.items()},
            {name: _dump_calls(calls) for name, calls in facts.calls_to.items()})


class FactStore:
    """The facts of files by content digest, in one SQLite file per scanned tree. The calls that matter only if
    they call a wrapper are indexed by function name, so a warm run reads just those of the wrappers it finds.

    The cache is an optimisation: a store that cannot be opened, read or written is dropped, never an error."""

    def __init__(self, path: Path | None, salt: str = f"{__version__}/{_FACTS_VERSION}") -> None:
        self.connection: sqlite3.Connection | None = None
        if path is None or path.is_symlink():  # a link is not followed: it could create or damage its target
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.connection = self._open(path, salt)
        except (OSError, sqlite3.Error):
            try:  # a damaged file: start again
                path.unlink(missing_ok=True)
                self.connection = self._open(path, salt)
            except (OSError, sqlite3.Error):
                self.connection = None

    @staticmethod
    def _open(path: Path, salt: str) -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=10, isolation_level=None)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE IF NOT EXISTS files (digest TEXT PRIMARY KEY, generated INTEGER, functions TEXT, "
            "calls TEXT);"
            "CREATE TABLE IF NOT EXISTS calls_to (digest TEXT, callee TEXT, calls TEXT);"
            "CREATE INDEX IF NOT EXISTS calls_to_by_callee ON calls_to (callee);"
            "CREATE INDEX IF NOT EXISTS calls_to_by_digest ON calls_to (digest);"
            "CREATE TABLE IF NOT EXISTS runs (key TEXT PRIMARY KEY, config TEXT, tree TEXT, result TEXT);")
        row = connection.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
        if row is None or row[0] != salt:  # another version of status wrote it: its facts may differ
            connection.executescript("BEGIN; DELETE FROM files; DELETE FROM calls_to; DELETE FROM runs; COMMIT;")
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('salt', ?)", (salt,))
        return connection

    def _wanted(self, digests: Iterable[str]) -> None:
        assert self.connection is not None
        self.connection.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (digest TEXT PRIMARY KEY)")
        self.connection.execute("DELETE FROM wanted")
        self.connection.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((d,) for d in digests))

    def get(self, digests: Iterable[str], language: Mapping[str, str]) -> dict[str, FileFacts]:
        if self.connection is None:
            return {}
        try:
            self._wanted(digests)
            rows = self.connection.execute(
                "SELECT f.digest, f.generated, f.functions, f.calls FROM files f JOIN wanted USING (digest)").fetchall()
            return {digest: FileFacts(language[digest], _load_calls(calls),
                                      {k: tuple(v) for k, v in json.loads(functions).items()}, bool(generated))
                    for digest, generated, functions, calls in rows}
        except (sqlite3.Error, ValueError, TypeError, KeyError, IndexError):
            self.connection = None
            return {}

    def put(self, entries: list[tuple[str, bool, str, dict[str, list[str]], dict[str, str]]],
            current: Collection[str]) -> None:
        """Add what was parsed, and forget files no longer in the tree (the store does not grow)."""
        if self.connection is None or not entries:
            return
        try:
            self.connection.execute("BEGIN")
            self.connection.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                                        ((d, int(g), json.dumps(f), c) for d, g, c, f, _ in entries))
            self.connection.executemany("INSERT INTO calls_to VALUES (?, ?, ?)",
                                        ((d, name, calls) for d, _, _, _, literal in entries
                                         for name, calls in literal.items()))
            self._wanted(current)
            self.connection.execute("DELETE FROM files WHERE digest NOT IN (SELECT digest FROM wanted)")
            self.connection.execute("DELETE FROM calls_to WHERE digest NOT IN (SELECT digest FROM wanted)")
            self.connection.execute("COMMIT")
        except sqlite3.Error:
            self.connection = None

    def calls_to(self, digests: Iterable[str], names: Collection[str]) -> dict[str, list[Call]]:
        found: dict[str, list[Call]] = {}
        if self.connection is None or not names:
            return found
        try:
            self._wanted(digests)
            self.connection.execute("CREATE TEMP TABLE IF NOT EXISTS names (name TEXT PRIMARY KEY)")
            self.connection.execute("DELETE FROM names")
            self.connection.executemany("INSERT OR IGNORE INTO names VALUES (?)", ((n,) for n in names))
            for digest, calls in self.connection.execute(
                    "SELECT l.digest, l.calls FROM calls_to l JOIN names ON l.callee = names.name "
                    "JOIN wanted ON wanted.digest = l.digest"):
                found.setdefault(digest, []).extend(_load_calls(calls))
        except (sqlite3.Error, ValueError, TypeError, IndexError):
            self.connection = None
        return found

    def last_run(self, key: str) -> tuple[dict[str, Any], str, dict[str, Any]] | None:
        """What the last run with these inputs (plan bytes, options, place) read — its configuration and tree —
        and its result."""
        if self.connection is None:
            return None
        try:
            row = self.connection.execute("SELECT config, tree, result FROM runs WHERE key = ?", (key,)).fetchone()
            if row is None or not all(isinstance(cell, str) for cell in row):
                return None
            config, result = (_sealed_load(cell) for cell in (row[0], row[2]))
        except (sqlite3.Error, ValueError, RecursionError):
            return None
        if not isinstance(config, dict) or not isinstance(result, dict) or not isinstance(
                config.get("roots"), list) or not isinstance(config.get("platforms"), dict):
            return None  # not what this version wrote: the run is made again
        return config, row[1], result

    def remember_run(self, key: str, config: dict[str, Any], tree: str, result: dict[str, Any]) -> None:
        if self.connection is None:
            return
        try:
            self.connection.execute("BEGIN")
            self.connection.execute("DELETE FROM runs")  # the last run only: an unchanged re-run is the case
            self.connection.execute("INSERT INTO runs VALUES (?, ?, ?, ?)",
                                    (key, _sealed(config), tree, _sealed(result)))
            self.connection.execute("COMMIT")
        except sqlite3.Error:
            self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _sealed(value: Any) -> str:
    """JSON with its SHA-256 in front: a cached result edited or cut short is not served, it is made again."""
    text = json.dumps(value, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest() + ":" + text


def _sealed_load(cell: str) -> Any:
    digest, _, text = cell.partition(":")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
        raise ValueError("the cached value does not match its digest")
    return json.loads(text)


@dataclass(frozen=True)
class Scan:
    """The facts of each file read, and the calls to look up once the wrappers are known."""

    files: list[tuple[SourceFile, FileFacts, bool, str]]
    """(file, facts, from the cache, digest)."""
    skipped: list[str]
    calls_to: Callable[[Collection[str]], dict[str, list[Call]]]
    """Function names → the calls to them (a literal or a parameter passed on), per file digest."""


def cache_file(cache_dir: Path, plan_dir: Path) -> Path:
    """One cache per plan read from one place, holding the facts of the current files only (it does not grow)."""
    key = hashlib.blake2b(f"{os.getcwd()}\0{os.path.abspath(plan_dir)}".encode(), digest_size=8)
    return cache_dir / f"status-{key.hexdigest()}.sqlite"


@dataclass(frozen=True)
class Digests:
    """Each readable file's content digest (by index in the file list), and the files that were not read."""

    by_index: dict[int, str]
    skipped: list[str]

    def tree_key(self, files: list[SourceFile]) -> str:
        """What the tree is: every file read, its platform and content, and every file skipped."""
        text = "\0".join(f"{f.shown}\1{f.platform}\1{self.by_index.get(i, '-')}" for i, f in enumerate(files))
        return hashlib.blake2b((text + "\0" + "\0".join(self.skipped)).encode(), digest_size=20).hexdigest()


def digests(files: list[SourceFile], tracker_class: str) -> Digests:
    salt = f"{__version__}/{_FACTS_VERSION}/{tracker_class}"
    by_index: dict[int, str] = {}
    skipped: list[str] = []
    for index, file in enumerate(files):
        try:
            if file.path.stat().st_size > MAX_BYTES:
                skipped.append(f"{file.shown}: larger than {MAX_BYTES >> 20} MB (a bundle or generated code?)")
                continue
            by_index[index] = _digest(file.language, file.path.read_bytes(), salt)
        except OSError as error:
            skipped.append(f"{file.shown}: {error.strerror or error}")
    return Digests(by_index, skipped)


def scan(files: list[SourceFile], found: Digests, store: FactStore, tracker_class: str = "Tracker") -> Scan:
    by_index = found.by_index
    language = {by_index[i]: files[i].language for i in by_index}
    known = store.get(by_index.values(), language)
    todo = [i for i in by_index if by_index[i] not in known]
    jobs = [(str(files[i].path), files[i].language, tracker_class) for i in todo]
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) >= _PARALLEL_FROM and workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parsed = list(pool.map(_parse, jobs, chunksize=max(1, len(jobs) // (workers * 8))))
    else:
        parsed = [_parse(job) for job in jobs]
    fresh: dict[str, FileFacts] = {}
    entries = []
    for index, (_, generated, calls, functions, to) in zip(todo, parsed, strict=True):
        digest = by_index[index]
        fresh[digest] = FileFacts(files[index].language, _load_calls(calls),
                                  {k: tuple(v) for k, v in functions.items()}, generated,
                                  {name: _load_calls(text) for name, text in to.items()})
        entries.append((digest, generated, calls, functions, to))
    store.put(entries, set(by_index.values()))

    def calls_to(names: Collection[str]) -> dict[str, list[Call]]:
        result = store.calls_to([d for d in by_index.values() if d in known], names)
        for digest, facts in fresh.items():
            calls = [c for name in names for c in facts.calls_to.get(name, ())]
            if calls:
                result[digest] = calls
        return result

    read = [(files[i], known.get(by_index[i]) or fresh[by_index[i]], by_index[i] in known, by_index[i])
            for i in sorted(by_index)]
    return Scan(read, found.skipped, calls_to)


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tracking-plan"
