"""The status command's driver: the `status:` section, the sources to read, and the scan matched against the plan."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan
from tracking_plan.core.options import key_values
from tracking_plan.core.yamlsource import YMap
from tracking_plan.status.model import StatusResult

if TYPE_CHECKING:
    from tracking_plan.status.scan import SourceFile

_CONFIG_KEYS = ("sources", "platforms", "tracker_class")


@dataclass(frozen=True)
class StatusConfig:
    """The `status:` section of tracking-plan.yaml, paths made relative to where the command runs."""

    sources: list[str] = field(default_factory=list)
    platforms: dict[str, str] = field(default_factory=dict)
    tracker_class: str = "Tracker"


def read_config(plan: Plan, plan_dir: Path) -> StatusConfig:
    raw = plan.settings.get("status")
    if raw is None:
        return StatusConfig()
    where = plan.location.file
    hint = "status:\n  platforms: {web: ../web/src, ios: ../ios/App}\n  sources: [../backend]"
    if not isinstance(raw, YMap):
        raise UsageError(f"{where}: 'status' must be a mapping.", hint)
    for key in raw:
        if key not in _CONFIG_KEYS:
            raise UsageError(f"{where}: 'status' has no key '{key}'.", "Keys: " + ", ".join(_CONFIG_KEYS) + ".")
    sources = raw.get("sources") or []
    platforms = raw.get("platforms") or {}
    tracker_class = raw.get("tracker_class", "Tracker")
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise UsageError(f"{where}: status.sources must be a list of folders.", hint)
    if not isinstance(platforms, dict) or not all(isinstance(v, str) for v in platforms.values()):
        raise UsageError(f"{where}: status.platforms maps a platform to a folder.", hint)
    if not isinstance(tracker_class, str) or not tracker_class.isidentifier():
        raise UsageError(f"{where}: status.tracker_class must be a class name.", "tracker_class: Tracker")
    return StatusConfig([str(plan_dir / s) for s in sources],
                        {str(k).lower(): str(plan_dir / v) for k, v in platforms.items()}, tracker_class)


def parse_platforms(items: list[str]) -> dict[str, str]:
    """`--platform ios=App/iOS` (repeatable)."""
    return {name.lower(): path for name, path in key_values(items, "--platform", "ios=App/iOS", "NAME=PATH").items()}


def _run_key(plan_dir: Path, sources: list[str], platform_options: list[str]) -> str | None:
    """What a run's result depends on besides the code: the plan's bytes, the options and where it runs."""
    from tracking_plan.core.discover import plan_files
    from tracking_plan.core.loader import ROOT_FILE

    digest = hashlib.blake2b(json.dumps([os.getcwd(), str(plan_dir), sources, platform_options]).encode(),
                             digest_size=20)
    try:
        for rel in [ROOT_FILE, *plan_files(plan_dir)]:
            digest.update(b"\0" + rel.encode() + b"\0" + (plan_dir / rel).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def run_status(plan_dir: Path, load: Callable[[], Plan], sources: list[str], platform_options: list[str],
               cache_dir: Path | None) -> StatusResult:
    """With a cache, a re-run whose plan, options and files are all unchanged is the last run's result: the plan
    is not even loaded. Otherwise `load()` gives the plan and only the files that changed are parsed."""
    from tracking_plan.status.render.json import document, result
    from tracking_plan.status.resolve import Scanned, resolve
    from tracking_plan.status.scan import FactStore, cache_file, digests, scan, source_files

    store = FactStore(cache_file(cache_dir, plan_dir) if cache_dir is not None else None)
    try:
        key = _run_key(plan_dir, sources, platform_options) if cache_dir is not None else None
        last = store.last_run(key) if key is not None else None
        if last is not None:
            then, tree, data = last
            try:
                files = _at_least_one_file(source_files(then["roots"], then["platforms"]), then["roots"])
                if digests(files, str(then["tracker_class"])).tree_key(files) == tree:
                    return result(data, tuple(then["roots"]))
            except (KeyError, TypeError, ValueError, AttributeError):
                pass  # a cached run this version cannot read: made again below
        plan = load()
        config = read_config(plan, plan_dir)
        platforms = {**config.platforms, **parse_platforms(platform_options)}
        roots = sources or config.sources or list(dict.fromkeys(platforms.values())) or ["."]
        files = _at_least_one_file(source_files(roots, platforms), roots)
        found = digests(files, config.tracker_class)
        done = scan(files, found, store, config.tracker_class)
        read = [(file, facts, cached, digest) for file, facts, cached, digest in done.files if not facts.generated]
        if done.files and not read:  # a folder of generated trackers only: nothing calls them here
            shown = _shown_roots(roots)
            raise UsageError(f"Every source file under {shown} is a tracker `generate` wrote ({len(done.files)} "
                             "files): status reads the app's code that calls it, and there is none here.",
                             "Point status at the app's source folders (tracking-plan status src/), not at the "
                             "folder generate writes to.")
        scanned = [Scanned(file.shown, file.platform, facts, digest) for file, facts, _, digest in read]
        status = resolve(plan, scanned, tuple(roots), sum(1 for _, _, cached, _ in read if cached),
                         tuple(done.skipped), done.calls_to)
        if key is not None:
            store.remember_run(key, {"roots": roots, "platforms": platforms, "tracker_class": config.tracker_class},
                               found.tree_key(files), document(status))
        return status
    finally:
        store.close()


def _shown_roots(roots: list[str]) -> str:
    """The folders read, as messages name them ('.' is the current folder)."""
    return ", ".join("the current folder" if os.path.normpath(root) == "." else root for root in roots)


def _at_least_one_file(files: list[SourceFile], roots: list[str]) -> list[SourceFile]:
    """The files to read; none is a usage error: a wrong path would otherwise pass, with "no findings"."""
    from tracking_plan.status.scan import LANGUAGE_PLATFORMS

    if not files:
        shown = _shown_roots(roots)
        raise UsageError(f"No source file under {shown}: status reads "
                         f"{', '.join(sorted(LANGUAGE_PLATFORMS))} files.",
                         "Name the folders of the app's code (tracking-plan status src/), or list them under "
                         "status: in tracking-plan.yaml.")
    return files
