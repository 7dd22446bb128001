"""Plans at git refs, read from git objects with GitPython: nothing is checked out, the working
tree is never touched.

A side of a diff is a git ref (branch, tag, SHA, `HEAD~2`), a plan directory on disk, or the working
tree (uncommitted edits and new files included).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import Diagnostic, Location, Severity, UsageError
from tracking_plan.core.discover import find_plan_root, load_parsed, load_plan, plan_files
from tracking_plan.core.files import FileRefused, is_within, read_regular
from tracking_plan.core.loader import ROOT_FILE, LoadResult, display_path, gc_paused
from tracking_plan.core.yamlsource import MAX_FILE_BYTES, parse_yaml_bytes, read_yaml_file

_YAML = (".yaml", ".yml")


@dataclass(frozen=True)
class Side:
    """Where one version of the plan comes from, and how to name it in output."""

    label: str
    result: LoadResult
    exists: bool
    """False when the plan does not exist at that ref (every event of the other side is new)."""


def _repo(path: Path):  # type: ignore[no-untyped-def]  # GitPython's Repo, imported lazily
    import git

    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UsageError(f"{path} is not inside a git repository.",
                         "Run diff inside a repository, or pass two plan directories.") from None


_MAX_REF = 1000


def _shown(ref: str) -> str:
    return ref if len(ref) <= 80 else ref[:77] + "..."


def _check_ref(ref: str) -> None:
    if ref.startswith("-"):
        raise UsageError(f"'{_shown(ref)}' is not a git ref: refs cannot start with '-'.",
                         "Name a branch, a tag, a commit SHA or HEAD~N.")
    if len(ref) > _MAX_REF or any(c in ref for c in "\0\n\r"):
        raise UsageError(f"'{_shown(ref)}' is not a git ref.", "Name a branch, a tag, a commit SHA or HEAD~N.")


def resolve_commit(repo, ref: str):  # type: ignore[no-untyped-def]
    """The commit a ref names; anything else (a tree `HEAD:dir`, a reflog entry that does not exist, a ref git
    cannot parse) is a usage error, whatever GitPython raises for it."""
    _check_ref(ref)
    try:
        commit = repo.commit(ref)
        commit.tree  # noqa: B018 (a ref to a tree or blob fails here)
        return commit
    except Exception:  # GitPython raises many kinds (BadName, ValueError, IndexError, GitCommandError...)
        hint = "Check the name with 'git log --oneline' or 'git branch -a'."
        with contextlib.suppress(Exception):
            if repo.git.rev_parse("--is-shallow-repository").strip() == "true":
                hint = ("This is a shallow clone, so older commits are missing: fetch the full history "
                        "(git fetch --unshallow, or fetch-depth: 0 in actions/checkout).")
        raise UsageError(f"Unknown git ref '{_shown(ref)}', or not a commit.", hint) from None


def default_base(repo) -> str:  # type: ignore[no-untyped-def]
    """The merge-base of HEAD with the default branch: origin's HEAD, else main, else master."""
    import git

    candidates = []
    with contextlib.suppress(git.GitCommandError):
        candidates.append(repo.git.symbolic_ref("refs/remotes/origin/HEAD", "--short").strip())
    candidates += ["main", "master", "origin/main", "origin/master"]
    for name in candidates:
        try:
            repo.commit(name)
        except (git.BadName, ValueError, git.GitCommandError):
            continue
        try:
            bases = repo.merge_base(name, "HEAD")
        except git.GitCommandError:
            bases = []
        if bases:
            return str(bases[0].hexsha)
    raise UsageError("Cannot find the default branch (main, master or origin's HEAD) to compare with.",
                     "Name the base explicitly: tracking-plan diff BASE [HEAD].")


def plan_at_ref(plan_dir: Path, display: str, ref: str, repo=None) -> Side:  # type: ignore[no-untyped-def]
    """Read the plan directory as it is in commit `ref`, from git objects."""
    repo = repo if repo is not None else _repo(plan_dir if plan_dir.exists() else Path.cwd())
    commit = resolve_commit(repo, ref)
    top = Path(repo.working_tree_dir).resolve()
    try:
        rel = plan_dir.resolve().relative_to(top).as_posix()
    except ValueError:
        raise UsageError(f"The plan {plan_dir} is outside the repository {top}.", None) from None
    tree = commit.tree
    if rel not in ("", "."):
        try:
            tree = tree / rel
        except KeyError:
            return Side(f"{ref}", load_parsed(display, {}), exists=False)
    blobs = {}
    for item in tree.traverse():
        if item.type != "blob" or not item.path.endswith(_YAML) or item.mode == _SYMLINK_MODE:
            continue
        inner = item.path[len(rel) + 1:] if rel not in ("", ".") else item.path
        parts = inner.split("/")
        if any(p.startswith(".") or p in ("node_modules", "__pycache__") for p in parts):
            continue
        blobs[inner] = item
    if ROOT_FILE not in blobs:
        return Side(ref, load_parsed(display, {}), exists=False)
    return Side(ref, load_parsed(display, {rel: _parse_blob(blob, display, rel) for rel, blob in blobs.items()}),
                exists=True)


_PARSED: dict[tuple[str, str], tuple[Any, list[Diagnostic]]] = {}
"""Parsed files by (blob id, path): a file unchanged between two refs is parsed once. Parsed values
are never mutated by the loader, so both plans can share them."""


_SYMLINK_MODE = 0o120000
"""A link committed into the plan folder is not followed at a ref either: only regular files are plan files."""


def _parse_blob(blob: Any, display: str, rel: str) -> tuple[Any, list[Diagnostic]]:
    key = (blob.hexsha, rel)
    parsed = _PARSED.get(key)
    if parsed is None:
        if blob.size > MAX_FILE_BYTES:  # the same limit as on disk, checked before reading
            parsed = (None, [Diagnostic("file-too-large", Severity.ERROR,
                                        f"This file is larger than {MAX_FILE_BYTES // 1048576} MiB, the most a plan "
                                        "file may be.", Location(display_path(display, rel), 1, 1),
                                        "Split it into several files, one per feature or squad.")])
        else:
            with gc_paused():
                parsed = parse_yaml_bytes(blob.data_stream.read(), display_path(display, rel))
        _PARSED[key] = parsed
    return parsed


def load_sides(base: str | None, head: str | None, plan_path: str | None) -> tuple[Side, Side]:
    """The two versions to compare. HEAD defaults to the working tree (uncommitted edits and new
    files included), BASE to the merge-base of HEAD with the default branch."""
    for ref in (base, head):
        if ref is not None:
            _check_ref(ref)
    head_side = _side(head, plan_path)
    if base is None:
        plan_dir, _ = _plan_dir_for_refs(plan_path)
        repo = _repo(plan_dir if plan_dir.exists() else Path.cwd())
        base_sha = default_base(repo)
        base_side = _side(base_sha, plan_path)
        return Side(f"merge-base {base_sha[:8]}", base_side.result, base_side.exists), head_side
    return _side(base, plan_path), head_side


def _side(arg: str | None, plan_path: str | None) -> Side:
    """None: the working tree; an existing plan directory: read from disk; anything else: a git ref."""
    if arg is None:
        return Side("working tree", _load_working_tree(plan_path), exists=True)
    if (Path(arg) / ROOT_FILE).is_file():
        return Side(arg, load_plan(arg), exists=True)
    plan_dir, display = _plan_dir_for_refs(plan_path)
    return plan_at_ref(plan_dir, display, arg)


def _load_working_tree(plan_path: str | None) -> LoadResult:
    """The plan on disk, sharing parses with the git side: a file whose content equals a blob already
    parsed (git's own blob id, computed from the bytes) is not parsed again."""
    root, display = find_plan_root(plan_path)
    parsed = {}
    for rel in [ROOT_FILE, *plan_files(root)]:
        path = root / rel
        try:
            if not is_within(path, root):
                raise FileRefused("outside the plan", "")
            data = read_regular(path, MAX_FILE_BYTES)
        except FileRefused:  # let the loader say why, at the file, without reading it
            parsed[rel] = read_yaml_file(path, display_path(display, rel), root)
            continue
        key = (hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest(), rel)
        if key not in _PARSED:
            with gc_paused():
                _PARSED[key] = parse_yaml_bytes(data, display_path(display, rel))
        parsed[rel] = _PARSED[key]
    return load_parsed(display, parsed)


def _plan_dir_for_refs(plan_path: str | None) -> tuple[Path, str]:
    """The plan directory to look for in each commit: --plan, else the one found on disk."""
    if plan_path is not None:
        path = Path(plan_path)
        if path.name == ROOT_FILE:
            path = path.parent
        return path, os.path.normpath(str(path))
    try:
        return find_plan_root(None)
    except UsageError:
        return Path("plans"), "plans"
