"""Writing files safely: never half-written, with the usual permissions, and never over the plan.

- `write_atomically` writes each file to a temporary sibling, then renames every file into place:
  no file is ever seen half-written, and nothing is renamed until every file is written.
- `replace_tree` gives a whole folder its new content in one step: the new folder is built beside
  the old one (files kept from the old one are hard links, not copies) and swapped in with one
  atomic exchange of names, so a reader sees the old set or the new set, never a mix.
- Files get the mode a new file gets from the umask, or keep the mode of the file they replace.
- Leftovers of a run killed midway (`.NAME.tp-*` files and folders) are removed by the next run.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Collection, Mapping
from pathlib import Path

from tracking_plan.core.diagnostics import UsageError

_TEMP = ".tp-"
"""Every temporary file or folder this module makes has this and the writing process's id in its name
(`.NAME.tp-PID-...`), so that leftovers of killed runs can be found and told apart from work in progress."""
_STALE_AFTER = 3600.0
"""Seconds after which a temporary file is a leftover even if a process with its id runs (ids are reused)."""
_LEFTOVER = re.compile(r"\.tp-(\d+)-")


def _temp_prefix(name: str) -> str:
    return f".{name[:100]}{_TEMP}{os.getpid()}-"


def _abandoned(name: str, age: float) -> bool:
    """A temporary file or folder whose writer is gone (or that is very old)."""
    match = _LEFTOVER.search(name)
    if match is None or age > _STALE_AFTER:
        return True
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode_for(target: Path, default: int) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return default & ~_umask()


def _content(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def clean_leftovers(folder: Path) -> None:
    """Remove what killed runs left in `folder`: temporary files and staged or old folders."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(".") or _TEMP not in entry.name:
            continue
        try:
            if not _abandoned(entry.name, now - entry.stat(follow_symlinks=False).st_mtime):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            continue


def write_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write every file to a temporary sibling first, then rename them all into place.

    If any write fails, the temporary files are removed and no target is touched. Files are not
    fsync'ed one by one: thousands of generated files would take seconds, and a rename is atomic
    for readers either way.
    """
    staged: list[tuple[str, Path]] = []
    folders: set[Path] = set()
    try:
        for target, content in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.parent not in folders:
                folders.add(target.parent)
                clean_leftovers(target.parent)
            mode = _mode_for(target, 0o666)
            fd, temp = tempfile.mkstemp(prefix=_temp_prefix(target.name), suffix=".tmp", dir=target.parent)
            staged.append((temp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(_content(content))
            os.chmod(temp, mode)
    except BaseException:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)
        raise
    for temp, target in staged:
        os.replace(temp, target)


def create_all(files: Mapping[Path, str | bytes]) -> None:
    """Create new files, all or none, never over an existing one: each is written in full to a temporary
    sibling, then all are linked into place (a link fails where a file exists). A full disk, a file that appeared
    meanwhile or any other failure removes what was linked: no partial set is left for a later run to trip on."""
    staged: list[tuple[str, Path]] = []
    linked: list[Path] = []
    try:
        for target, content in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=_temp_prefix(target.name), suffix=".tmp", dir=target.parent)
            staged.append((temp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(_content(content))
                handle.flush()
                os.fsync(handle.fileno())  # the disk said yes to every block before any file appears
            os.chmod(temp, 0o666 & ~_umask())
        for temp, target in staged:
            os.link(temp, target)
            linked.append(target)
    except BaseException:
        for target in linked:
            target.unlink(missing_ok=True)
        raise
    finally:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths' names in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(result == 0)


def _link_tree(source: Path, target: Path, skip: Collection[str], rel: str = "") -> None:
    for entry in os.scandir(source):
        entry_rel = f"{rel}{entry.name}"
        if entry_rel in skip:
            continue
        destination = target / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), destination)
        elif entry.is_dir(follow_symlinks=False):
            destination.mkdir()
            shutil.copymode(entry.path, destination)
            _link_tree(Path(entry.path), destination, skip, entry_rel + "/")
        elif entry.is_file(follow_symlinks=False):
            try:
                os.link(entry.path, destination)
            except OSError:
                shutil.copy2(entry.path, destination)


_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                       *(f"lpt{n}" for n in range(1, 10))})
"""Names Windows keeps for devices, with or without an extension."""


def safe_file_name(name: str) -> str:
    """A name from the plan (a metric's, an event's) as one file name inside the output folder: no path separator,
    no `..` or leading dot, no control character, no name Windows reserves. Names that need none of this are kept
    as they are; lint's `unsafe-file-name` flags the others."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 or ord(ch) == 127 else ch for ch in name).strip()
    if not cleaned or cleaned.startswith("."):
        cleaned = "_" + cleaned
    if cleaned.split(".")[0].lower() in _RESERVED:
        cleaned = "_" + cleaned
    return cleaned


def replace_tree(out: Path, files: Mapping[str, str | bytes], remove: Collection[str] = ()) -> None:
    """Give the folder `out` the files (by '/'-separated path inside it), less `remove`, keeping everything
    else it holds, in one step for readers. A path that would leave `out` (absolute, or through `..`) is refused
    before anything is written: names made from plan content never reach outside the folder asked for."""
    for rel in (*files, *remove):
        parts = rel.replace("\\", "/").split("/")
        if os.path.isabs(rel) or any(part in ("", ".", "..") for part in parts):
            raise UsageError(f"Refusing to write '{rel}': it is not a path inside {out}.",
                             "Rename what the file is named after (lint's unsafe-file-name rule says how).")
    out = Path(os.path.abspath(out))
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(f"{out} is not a folder.", "Choose a folder to write into.")
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out.parent)
    stage = Path(tempfile.mkdtemp(prefix=_temp_prefix(out.name) + "new-", dir=out.parent))
    try:
        if out.is_dir():
            shutil.copymode(out, stage)
            _link_tree(out, stage, set(files) | set(remove))
        else:
            os.chmod(stage, 0o777 & ~_umask())
        for rel, content in files.items():
            path = stage / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_content(content))
            os.chmod(path, _mode_for(out / rel, 0o666))
        if not out.exists():
            os.rename(stage, out)
            return
        if _exchange(stage, out):
            shutil.rmtree(stage, ignore_errors=True)
            return
        old = Path(tempfile.mkdtemp(prefix=_temp_prefix(out.name) + "old-", dir=out.parent))
        os.rmdir(old)
        os.rename(out, old)
        os.rename(stage, out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(stage, ignore_errors=True)
        raise


def is_inside(path: Path, folder: Path) -> bool:
    resolved, root = path.resolve(), folder.resolve()
    return resolved == root or root in resolved.parents


def refuse_plan_paths(target: Path, plan_dir: Path, command: str, inside_ok: bool = False) -> None:
    """A command that writes never overwrites a plan file, and writes inside the plan only where that is its job
    (`inside_ok`): exit 2 with a message before anything is written."""
    if not is_inside(target, plan_dir):
        return
    if target.resolve() == plan_dir.resolve() or not inside_ok:
        raise UsageError(f"{target} is inside the plan directory {plan_dir}: {command} does not write there.",
                         "Write it next to the plan (or where the tool that reads it expects it), not into the plan.")
    if target.suffix.lower() in (".yaml", ".yml"):
        raise UsageError(f"{target} would overwrite or add a plan file.",
                         "Choose another name: every .yaml file in the plan directory is read as part of the plan.")
