"""Writing files all or nothing: generated code, baselines and reports never end half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write every file to a temporary sibling first, then rename them all into place.

    If any write fails, the temporary files are removed and no target is touched. Files are not
    fsync'ed one by one: thousands of generated files would take seconds, and a rename is atomic
    for readers either way.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for target, content in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((temp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
    except BaseException:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)
        raise
    for temp, target in staged:
        os.replace(temp, target)
