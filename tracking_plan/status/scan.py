"""Which source files `status` reads, which platform each belongs to, and their facts — from the cache when the
file's bytes are unchanged, else parsed (on every core when there are many).

Skipped: what .gitignore files ignore, vendored and generated folders (node_modules, Pods, build...), files that
say they are generated, symbolic links, and files over 2 MB (bundles, minified code; said, not dropped)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tracking_plan import __version__
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.status.syntax import SUFFIXES, FileFacts, read_facts

SKIPPED_FOLDERS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "bower_components", "vendor", "third_party", "Pods", "Carthage",
    "DerivedData", ".build", "build", "dist", ".gradle", ".idea", "target", "out", ".next", ".nuxt", ".venv", "venv",
    "site-packages", "__pycache__", ".mypy_cache", ".tox", "coverage", "generated", "__generated__",
})
LANGUAGE_PLATFORMS = {"typescript": "web", "javascript": "web", "python": "backend", "kotlin": "android",
                      "swift": "ios"}
MAX_BYTES = 2 << 20
_FACTS_VERSION = "1"
_PARALLEL_FROM = 64
"""Below this many files to parse, starting worker processes costs more than it saves."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    shown: str
    language: str
    platform: str


def _ignore_spec(folder: Path) -> object | None:
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
    stack: list[tuple[Path, list[tuple[Path, object]]]] = [(root, [])]
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


def _ignored(path: Path, is_dir: bool, specs: list[tuple[Path, object]]) -> bool:
    for base, spec in specs:
        relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        if spec.match_file(relative):  # type: ignore[attr-defined]
            return True
    return False


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def source_files(roots: list[str], platforms: Mapping[str, str]) -> list[SourceFile]:
    """The files to read under `roots` (files or folders), each with its platform: the longest matching
    `platforms` path (platform → folder), else its language's usual platform."""
    mapped = sorted(((Path(folder).resolve(), name) for name, folder in platforms.items()),
                    key=lambda item: len(item[0].parts), reverse=True)
    found: dict[Path, SourceFile] = {}
    for root in roots:
        path = Path(root)
        if not path.exists():
            raise UsageError(f"{root} does not exist.", "Name the folders holding the app's source code.")
        candidates = [path] if path.is_file() else _walk(path)
        for file in candidates:
            grammar = SUFFIXES.get(file.suffix.lower())
            if grammar is None:
                continue
            absolute = file.resolve()
            platform = next((name for folder, name in mapped if absolute.is_relative_to(folder)),
                            LANGUAGE_PLATFORMS[grammar.name])
            found.setdefault(absolute, SourceFile(file, _shown(file), grammar.name, platform))
    return sorted(found.values(), key=lambda f: f.shown)


def _digest(language: str, data: bytes, salt: str) -> str:
    return hashlib.blake2b(data, digest_size=20, person=language.encode()[:16],
                           key=salt.encode()[:64]).hexdigest()


def _parse(job: tuple[str, str, str]) -> tuple[str, list[object] | None, bool, dict[str, list[str]]]:
    """In a worker: read and parse one file."""
    path, language, classes = job
    facts = read_facts(language, Path(path).read_bytes(), tuple(classes.split(",")))
    return path, [c.dump() for c in facts.calls], facts.generated, {k: list(v) for k, v in facts.functions.items()}


def _facts(language: str, raw: Mapping[str, object]) -> FileFacts:
    from tracking_plan.status.syntax import Call

    calls = raw["calls"]
    functions = raw["functions"]
    assert isinstance(calls, list) and isinstance(functions, dict)
    return FileFacts(language, tuple(Call.load(c) for c in calls),
                     {k: tuple(v) for k, v in functions.items()}, bool(raw["generated"]))


def cache_file(cache_dir: Path, roots: list[str]) -> Path:
    """One cache file per scanned tree, holding the facts of its current files only (it does not grow)."""
    key = hashlib.blake2b("\0".join(sorted(str(Path(r).resolve()) for r in roots)).encode(), digest_size=8)
    return cache_dir / f"status-{key.hexdigest()}.json"


def scan(files: list[SourceFile], cache_path: Path | None, tracker_classes: tuple[str, ...] = ("Tracker",)
         ) -> tuple[list[tuple[SourceFile, FileFacts, bool]], list[str]]:
    """Each file's facts and whether they came from the cache, and the files that could not be read."""
    salt = f"{__version__}/{_FACTS_VERSION}/{','.join(tracker_classes)}"
    cache: dict[str, dict[str, object]] = {}
    if cache_path is not None:
        try:
            loaded = json.loads(cache_path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and loaded.get("salt") == salt and isinstance(loaded.get("files"), dict):
                cache = loaded["files"]
        except (OSError, ValueError):
            cache = {}
    results: dict[int, FileFacts] = {}
    digests: dict[int, str] = {}
    todo: list[int] = []
    skipped: list[str] = []
    for index, file in enumerate(files):
        try:
            size = file.path.stat().st_size
            if size > MAX_BYTES:
                skipped.append(f"{file.shown}: larger than {MAX_BYTES >> 20} MB (a bundle or generated code?)")
                continue
            data = file.path.read_bytes()
        except OSError as error:
            skipped.append(f"{file.shown}: {error.strerror or error}")
            continue
        digest = _digest(file.language, data, salt)
        digests[index] = digest
        entry = cache.get(digest)
        if entry is not None:
            try:
                results[index] = _facts(file.language, entry)
                continue
            except (KeyError, TypeError, ValueError, IndexError, AssertionError):
                pass
        todo.append(index)
    hits = set(results)
    jobs = [(str(files[i].path), files[i].language, ",".join(tracker_classes)) for i in todo]
    if len(jobs) >= _PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 8)) as pool:
            parsed = list(pool.map(_parse, jobs, chunksize=max(1, len(jobs) // ((os.cpu_count() or 1) * 8))))
    else:
        parsed = [_parse(job) for job in jobs]
    fresh: dict[str, dict[str, object]] = {}
    for index, (_, calls, generated, functions) in zip(todo, parsed, strict=True):
        raw: dict[str, object] = {"calls": calls, "generated": generated, "functions": functions}
        results[index] = _facts(files[index].language, raw)
        fresh[digests[index]] = raw
    if cache_path is not None and (fresh or len(cache) != len(set(digests.values()))):
        kept = {digests[i]: cache[digests[i]] for i in digests if digests[i] in cache}
        kept.update(fresh)
        _save(cache_path, {"salt": salt, "files": kept})
    return [(files[i], results[i], i in hits) for i in sorted(results)], skipped


def _save(path: Path, document: dict[str, object]) -> None:
    """The cache is an optimisation: failing to write it never fails the command."""
    from tracking_plan.output.fileio import write_atomically

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically({path: json.dumps(document, separators=(",", ":"))})
    except OSError:
        pass


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tracking-plan"
