"""The plan's history from git: events added and removed per month, versions over time, and when
and by whom each event last changed.

One `git log --raw` lists, for every commit of the plan's folder, the blobs it changed; only those
blobs are read, and each blob once (cached by id): a 2,000-commit history never re-reads a file
that did not change. An events file is skimmed with libyaml's event stream (no node tree) to get
each event's name and the exact text of its definition, whose hash tells whether it changed.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from tracking_plan.core.loader import ROOT_FILE

_YAML = (".yaml", ".yml")
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class EventChange:
    date: str
    author: str
    commit: str


@dataclass
class History:
    commits: int = 0
    first_date: str | None = None
    last_date: str | None = None
    monthly: dict[str, dict[str, int]] = field(default_factory=dict)
    """Month (YYYY-MM) → {"added": n, "removed": n, "events": total at the end of the month}."""
    versions: list[dict[str, str]] = field(default_factory=list)
    """Each version the root file declared, with the date and commit that declared it first."""
    last_changed: dict[str, EventChange] = field(default_factory=dict)
    blobs_read: int = 0


class _Frame:
    __slots__ = ("expect_key", "is_events", "key", "mapping", "start")

    def __init__(self, mapping: bool, is_events: bool) -> None:
        self.mapping = mapping
        self.is_events = is_events
        self.expect_key = True
        self.key: str | None = None
        self.start = 0


_EVENTS_LINE = re.compile(r"^events:[ \t]*(?:#.*)?$", re.MULTILINE)
_PLAIN_KEY = re.compile(r"^( +)([^\s#'\"?&*!{\[\]|>%@`,-][^\n]*?):(?:[ \t]|$)")


def summarize_events(text: str) -> dict[str, str]:
    """Event name → hash of its definition's text, for a file's top-level `events:` mapping.

    Files in the usual block layout (plain event names at one indentation) are split by lines, which
    is a hundred times faster; anything else (quoted or anchored names, flow style, tabs) is skimmed
    with libyaml's event stream.
    """
    fast = _summarize_block_layout(text)
    return fast if fast is not None else _summarize_with_yaml(text)


def _summarize_block_layout(text: str) -> dict[str, str] | None:
    if "\t" in text or "\r" in text:
        return None
    matches = list(_EVENTS_LINE.finditer(text))
    if len(matches) != 1:
        return None
    lines = text[matches[0].end():].split("\n")[1:]
    result: dict[str, str] = {}
    indent: str | None = None
    current: str | None = None
    chunk: list[str] = []
    for line in lines:
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            chunk.append(line)
            continue
        if not line.startswith(" "):
            break  # the next top-level key ends the events mapping
        width = len(line) - len(stripped)
        if indent is None:
            indent = line[:width]
        if width < len(indent):
            return None
        if width == len(indent):
            match = _PLAIN_KEY.match(line)
            if match is None or " #" in match.group(2) or match.group(2).rstrip() != match.group(2):
                return None
            if current is not None:
                result[current] = _hash("\n".join(chunk).rstrip())
            current, chunk = match.group(2), [line[match.end():]]
            if current in result:
                return None
        else:
            chunk.append(line)
    if current is not None:
        result[current] = _hash("\n".join(chunk).rstrip())
    return result


def _summarize_with_yaml(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    stack: list[_Frame] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                parent = stack[-1] if stack else None
                if parent is not None and parent.is_events and not parent.expect_key:
                    parent.start = _index(event.start_mark)
                is_events = (len(stack) == 1 and parent is not None and parent.key == "events"
                             and kind is yaml.MappingStartEvent)
                stack.append(_Frame(kind is yaml.MappingStartEvent, is_events))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                parent = stack[-1] if stack else None
                if parent is not None and parent.mapping:
                    if parent.is_events and parent.key is not None:
                        result[parent.key] = _hash(text[parent.start:_index(event.end_mark)])
                    parent.expect_key = True
            elif (kind is yaml.ScalarEvent or kind is yaml.AliasEvent) and stack and stack[-1].mapping:
                frame = stack[-1]
                if frame.expect_key:
                    frame.key = getattr(event, "value", None)
                    frame.expect_key = False
                else:
                    if frame.is_events and frame.key is not None and frame.key != "<<":
                        result[frame.key] = _hash(text[_index(event.start_mark):_index(event.end_mark)])
                    frame.expect_key = True
    except yaml.YAMLError:
        return result
    return result


def _index(mark: Any) -> int:
    return int(mark.index) if mark is not None else 0


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _version(text: str) -> str | None:
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    value = data.get("version") if isinstance(data, dict) else None
    return str(value) if value is not None else None


def plan_history(plan_dir: Path) -> History | None:
    """None when the plan is not in a git repository (or git is not available)."""
    try:
        import git
    except ImportError:
        return None
    try:
        repo = git.Repo(plan_dir, search_parent_directories=True)
        top = Path(repo.working_tree_dir or ".").resolve()
        rel = plan_dir.resolve().relative_to(top).as_posix()
        log = repo.git.log("--first-parent", "--reverse", "--raw", "--no-renames", "--no-abbrev",
                           "--format=%x1e%H%x1f%at%x1f%an", "--", rel if rel != "." else ".")
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError, ValueError):
        return None
    prefix = "" if rel in ("", ".") else rel + "/"
    history = History()
    summaries: dict[str, dict[str, str]] = {}  # by blob id: each blob is read and skimmed once
    versions: dict[str, str | None] = {}
    files: dict[str, dict[str, str]] = {}
    presence: Counter[str] = Counter()  # in how many files each event is defined
    digests: dict[str, str] = {}  # each event's latest definition hash
    touched: dict[str, int] = {}  # events whose presence this commit changed, with their count before it
    for record in log.split("\x1e")[1:]:
        header, _, body = record.partition("\n")
        sha, timestamp, author = header.split("\x1f")
        when = datetime.fromtimestamp(int(timestamp), tz=UTC)
        date, month = when.strftime("%Y-%m-%d"), when.strftime("%Y-%m")
        history.commits += 1
        history.first_date = history.first_date or date
        history.last_date = date
        counts = history.monthly.setdefault(month, {"added": 0, "removed": 0, "events": 0})
        for line in body.splitlines():
            if not line.startswith(":"):
                continue
            meta, _, path = line.partition("\t")
            parts = meta.split()
            new_blob, status = parts[3], parts[4]
            if not path.startswith(prefix) or not path.endswith(_YAML):
                continue
            inner = path[len(prefix):]
            before = files.pop(path, {})
            after: dict[str, str] = {}
            if status != "D":
                summary = summaries.get(new_blob)
                if summary is None:
                    text = _read_blob(repo, new_blob, history)
                    summary = summaries[new_blob] = summarize_events(text)
                    if inner == ROOT_FILE:
                        versions[new_blob] = _version(text)
                version = versions.get(new_blob) if inner == ROOT_FILE else None
                if version and (not history.versions or history.versions[-1]["version"] != version):
                    history.versions.append({"version": version, "date": date, "commit": sha[:8]})
                after = summary
                files[path] = after
            for name, digest in after.items():
                if digests.get(name) != digest:  # compared with its last definition in any file
                    digests[name] = digest
                    history.last_changed[name] = EventChange(date, author, sha[:8])
                if name not in before:
                    touched.setdefault(name, presence[name])
                    presence[name] += 1
            for name in before:
                if name not in after:
                    touched.setdefault(name, presence[name])
                    presence[name] -= 1
        # Judged per commit, so an event moved from one file to another is neither added nor removed.
        for name, was in touched.items():
            now = presence[name]
            if was == 0 and now > 0:
                counts["added"] += 1
            elif was > 0 and now == 0:
                counts["removed"] += 1
                del presence[name]
        touched.clear()
        counts["events"] = len(presence)
    return history


def _read_blob(repo: Any, sha: str, history: History) -> str:
    history.blobs_read += 1
    data: bytes = repo.odb.stream(bytes.fromhex(sha)).read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")
