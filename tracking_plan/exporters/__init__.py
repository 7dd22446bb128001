"""Plan → other tools' tracking-plan formats (`tracking-plan export`): one registry, as the importers have, from
which the command's choices come."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan


@dataclass(frozen=True)
class Exporter:
    name: str
    render: Callable[[Plan, ExportOptions], dict[str, str]]
    """The plan → its files, by path relative to --out (one file: written to --out itself, or standard output)."""
    counts: str = "event"
    """What the command counts when it has written: events, or metrics."""


@dataclass(frozen=True)
class ExportOptions:
    sql: str = "bigquery"
    table: str = "tracks"
    shape: str = "segment"


def _segment(plan: Plan, options: ExportOptions) -> dict[str, str]:
    from tracking_plan.exporters import segment

    return {"segment-tracking-plan.json": segment.render(plan)}


def _rudderstack(plan: Plan, options: ExportOptions) -> dict[str, str]:
    from tracking_plan.exporters import rudderstack

    return rudderstack.render(plan)


def _jsonschema(plan: Plan, options: ExportOptions) -> dict[str, str]:
    from tracking_plan.generate import generate_files

    return generate_files(plan, "jsonschema")


def _dbt_metrics(plan: Plan, options: ExportOptions) -> dict[str, str]:
    from tracking_plan.exporters import dbt_metrics

    return dbt_metrics.render(plan, options.sql.lower(), options.table, options.shape)


EXPORTERS = {e.name: e for e in (Exporter("segment", _segment), Exporter("rudderstack", _rudderstack),
                                 Exporter("jsonschema", _jsonschema), Exporter("dbt-metrics", _dbt_metrics, "metric"))}


def delivered(exporter: Exporter, files: dict[str, str], out: Path) -> str | None:
    """Write an export where --out says: a name with a suffix takes a one-file export, else a folder is replaced
    whole. `-` is standard output, for a one-file export: its text is returned, to be written there."""
    from tracking_plan.output.fileio import replace_tree, write_atomically

    if str(out) == "-":
        if len(files) != 1:
            raise UsageError(f"The {exporter.name} export is several files.", "Pass --out FOLDER.")
        return next(iter(files.values()))
    if len(files) == 1 and out.suffix:
        write_atomically({out: next(iter(files.values()))})
    else:
        replace_tree(out, {Path(name).as_posix(): text for name, text in files.items()})
    return None


def exported_summary(exporter: Exporter, plan: Plan, out: Path) -> str:
    """What `export` says once it has written."""
    count, word = (len(plan.metrics), "metric") if exporter.counts == "metric" else (len(plan.events), "event")
    return f"Exported {count} {word}{'' if count == 1 else 's'} to {out}."
