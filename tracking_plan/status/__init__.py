"""`tracking-plan status`: which planned events the code really sends, per platform, read from the source with
tree-sitter (syntax.py), cached by content and parsed on every core (scan.py), matched against the plan
(resolve.py) into one result (model.py) that the renderers and the report read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan
from tracking_plan.core.yamlsource import YMap
from tracking_plan.status.model import StatusResult

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
    platforms = {}
    for item in items:
        name, equals, path = item.partition("=")
        if not equals or not name.strip() or not path.strip():
            raise UsageError(f"--platform takes NAME=PATH, not '{item}'.", "--platform ios=App/iOS")
        platforms[name.strip().lower()] = path.strip()
    return platforms


def run_status(plan: Plan, plan_dir: Path, sources: list[str], platform_options: list[str],
               cache_dir: Path | None) -> StatusResult:
    from tracking_plan.status.resolve import Scanned, resolve
    from tracking_plan.status.scan import cache_file, scan, source_files

    config = read_config(plan, plan_dir)
    platforms = {**config.platforms, **parse_platforms(platform_options)}
    roots = sources or config.sources or list(dict.fromkeys(platforms.values())) or ["."]
    files = source_files(roots, platforms)
    facts, skipped = scan(files, cache_file(cache_dir, roots) if cache_dir is not None else None,
                          (config.tracker_class,))
    read = [(file, found, cached) for file, found, cached in facts if not found.generated]
    scanned = [Scanned(file.shown, file.platform, found) for file, found, _ in read]
    return resolve(plan, scanned, tuple(roots), sum(1 for *_, cached in read if cached), tuple(skipped))
