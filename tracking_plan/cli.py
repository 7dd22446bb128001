"""The command line: parse options, call one library function, render, and map errors to exit codes.

Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage errors; 3 an internal error.
Heavy modules are imported inside commands so that `--version` stays instant.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from tracking_plan import __version__
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.diff.compat import MODES
from tracking_plan.exporters import EXPORTERS
from tracking_plan.importers import FORMATS as IMPORT_FORMATS
from tracking_plan.output.terminal import visible
from tracking_plan.shapes.columns import SHAPES

SHAPE_NAMES = (*SHAPES, "flat")

T = TypeVar("T")

if TYPE_CHECKING:
    from rich.console import Console

    from tracking_plan.core.model import Plan
    from tracking_plan.generate import CodegenError

app = typer.Typer(
    name="tracking-plan",
    help="Lint, diff, generate code from and report on an analytics tracking plan kept as YAML in git, and check "
         "the events collected against it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

PathArgument = Annotated[
    str | None,
    typer.Argument(metavar="PLAN", help="The plan directory (or its tracking-plan.yaml). Default: plans/ if it holds a "
                   "tracking-plan.yaml, else '.'.",
                   show_default=False),
]
PlanOption = Annotated[
    str | None,
    typer.Option("--plan", metavar="PLAN", help="The plan directory, as every command takes it (the same as PLAN).",
                 show_default=False),
]


def _plan_path(positional: str | None, option: str | None) -> str | None:
    """PLAN given as the argument or as --plan (every command that reads a plan takes --plan): once."""
    if positional is not None and option is not None and positional != option:
        raise UsageError(f"Two plans given: {positional} and --plan {option}.", "Give the plan once.")
    return option if option is not None else positional


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    any = "any"
    never = "never"


class Preset(StrEnum):
    minimal = "minimal"
    recommended = "recommended"
    strict = "strict"


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"tracking-plan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version_callback, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Lint, diff, generate code from and report on an analytics tracking plan kept as YAML in git, and check the
    events collected against it."""


@app.command()
def lint(
    path: PathArgument = None,
    plan_option: PlanOption = None,
    output_format: Annotated[LintFormat, typer.Option("--format", "-f", help="Output format.")] = LintFormat.text,
    fail_on: Annotated[FailOn, typer.Option(help="Lowest severity that makes the exit code 1.")] = FailOn.error,
    preset: Annotated[Preset | None, typer.Option(help="Overrides lint.preset of tracking-plan.yaml.",
                                                  show_default=False)] = None,
    baseline: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Leave out the findings listed in this baseline file.",
                                                  show_default=False)] = None,
    write_baseline: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Write the current findings to this baseline file, so later runs only show new ones.",
        show_default=False)] = None,
) -> None:
    """Check the plan: structure, naming, documentation, ownership, personal data, destination limits."""
    path = _plan_path(path, plan_option)
    from tracking_plan.core.diagnostics import Severity
    from tracking_plan.lint.engine import baseline_written, lint_plan
    from tracking_plan.lint.engine import write_baseline as save_baseline

    result = lint_plan(path, preset=preset.value if preset else None,
                       baseline=str(baseline) if baseline and not write_baseline else None)
    if write_baseline is not None:
        from tracking_plan.core.discover import find_plan_root
        from tracking_plan.output.fileio import refuse_plan_paths

        plan_dir, _ = find_plan_root(path)
        refuse_plan_paths(write_baseline, plan_dir, "lint --write-baseline", inside_ok=True)
        _say(_console(stderr=True), baseline_written(save_baseline(result, write_baseline), write_baseline, plan_dir))
        raise typer.Exit(0)
    _emit("tracking_plan.lint.render", output_format.value, result)
    threshold = None if fail_on is FailOn.never else Severity.INFO if fail_on is FailOn.any else \
        Severity(fail_on.value)
    _end(1 if result.fails(threshold) else 0)


_PROCESS = False
"""Whether main() runs as the process's entry point (the console script, `python -m`), not called in-process."""


def _end(code: int) -> NoReturn:
    """End a command that has written its output. As a process, the process ends here, without freeing what the
    command built: a large plan is millions of objects, and freeing them one by one costs a tenth of a second
    the user waits for, to no end (mypy ends the same way). Called in-process, like any command."""
    if _PROCESS:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # the reader went away: the usual ending says so
            raise typer.Exit(code) from None
        os._exit(code)
    raise typer.Exit(code)


@app.command()
def rules(
    rule_id: Annotated[str | None, typer.Argument(metavar="RULE", help="A rule id, to explain that rule.",
                                                  show_default=False)] = None,
    output_format: Annotated[RulesFormat, typer.Option("--format", "-f", help="Output format.")] = RulesFormat.text,
) -> None:
    """List the lint rules, or explain one."""
    from tracking_plan.core.naming import did_you_mean
    from tracking_plan.lint.engine import all_rules
    from tracking_plan.lint.rules_render import RulesListing

    known = all_rules()
    selected = known
    if rule_id is not None:
        selected = tuple(rule for rule in known if rule.id == rule_id)
        if not selected:
            raise UsageError(f"There is no rule '{rule_id}'.{did_you_mean(rule_id, [r.id for r in known])}",
                             "'tracking-plan rules' lists them.")
    _emit("tracking_plan.lint.rules_render", output_format.value, RulesListing(selected, rule_id is not None))


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


Compatibility = StrEnum("Compatibility", {mode: mode for mode in MODES})  # type: ignore[misc]
"""The compatibility modes, from diff's registry (compat.MODES)."""


class DiffFailOn(StrEnum):
    breaking = "breaking"
    any = "any"
    never = "never"


@app.command()
def diff(
    base: Annotated[str | None, typer.Argument(
        metavar="BASE", help="Git ref or plan directory to compare from. Default: the merge-base of HEAD with the "
        "default branch.",
        show_default=False)] = None,
    head: Annotated[str | None, typer.Argument(
        metavar="HEAD", help="Git ref or plan directory to compare to. Default: the working tree, uncommitted "
        "edits included.",
        show_default=False)] = None,
    plan: Annotated[str | None, typer.Option("--plan", metavar="DIR", help="The plan directory inside the repository.",
                                             show_default=False)] = None,
    output_format: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.text,
    fail_on: Annotated[DiffFailOn, typer.Option(help="Which changes make the exit code 1.")] = DiffFailOn.never,
    check_version: Annotated[bool, typer.Option(
        "--check-version", help="Exit 1 when HEAD's declared version is lower than the suggested bump.")] = False,
    compatibility: Annotated[Compatibility | None, typer.Option(
        "--compatibility", help="How changes are judged, overriding the plan's 'compatibility': full (default: both "
        "of the next two), backward (events from apps built against the old plan stay valid), forward (readers "
        "of the old plan read new events), strict (full, for readers that validate closed schemas and every "
        "enum value), none.", show_default=False)] = None,
) -> None:
    """Compare two versions of the plan and say what breaks, for whom, and how to bump the version."""
    from tracking_plan.diff.compare import compare

    comparison = compare(base, head, plan, compatibility.value if compatibility else None)
    _emit("tracking_plan.diff.render", output_format.value, comparison)
    failed = bool(comparison.diagnostics)
    if fail_on is DiffFailOn.breaking:
        failed = failed or comparison.count("breaking") > 0
    elif fail_on is DiffFailOn.any:
        failed = failed or bool(comparison.changes)
    if check_version:
        failed = failed or not comparison.version_ok
    raise typer.Exit(1 if failed else 0)


@app.command()
def generate(
    target_name: Annotated[str | None, typer.Argument(
        metavar="TARGET", help="typescript, python, kotlin, swift or jsonschema. Default: every target listed "
        "under generate: in tracking-plan.yaml.", show_default=False)] = None,
    path: PathArgument = None,
    plan_option: PlanOption = None,
    out: Annotated[Path | None, typer.Option(metavar="DIR", help="Output folder (outside the plan directory).",
                                             show_default=False)] = None,
    platform: Annotated[str | None, typer.Option(metavar="NAME", help="Keep only the events sent from this platform.",
                                                 show_default=False)] = None,
    option: Annotated[list[str] | None, typer.Option(
        "--option", "-o", metavar="NAME=VALUE", help="A target option, e.g. -o package=com.shop.tracking.",
        show_default=False)] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Write nothing; exit 1 when the files on disk differ from what would be generated.")] = False,
) -> None:
    """Generate typed tracking code (or JSON Schemas) from the plan."""
    path = _plan_path(path, plan_option)
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.core.loader import ROOT_FILE
    from tracking_plan.generate import TARGET_MODULES, CodegenError
    from tracking_plan.generate.run import check_jobs, jobs_from_arguments, produce, write, written_report

    if target_name is not None and path is None and target_name not in TARGET_MODULES \
            and ((Path(target_name) / ROOT_FILE).is_file() or Path(target_name).name == ROOT_FILE):
        path, target_name = target_name, None  # `generate PLAN_DIR`: every configured target
    from tracking_plan.core.options import key_values

    options = key_values(option or [], "--option", "package=com.shop.tracking", "NAME=VALUE", strip=False)
    plan_dir, _ = find_plan_root(path)
    plan = _readable_plan(path, "Nothing was generated: fix the plan first.")
    try:
        outcomes = [produce(plan, plan_dir, job)
                    for job in jobs_from_arguments(plan, plan_dir, target_name, out, platform, options)]
    except CodegenError as error:
        _refuse_collisions(plan, error, "Nothing was generated: names would collide in the generated code.")
    check_jobs(outcomes)
    console = _console()
    if check:
        from tracking_plan.generate.run import check_report

        lines = check_report(outcomes, ["generate", *([target_name] if target_name else []), *([path] if path else []),
                                        *(["--out", str(out)] if out else []),
                                        *(["--platform", platform] if platform else []),
                                        *(word for item in option or [] for word in ("-o", item))])
        for line in lines:
            _say(console, line)
        raise typer.Exit(1 if lines else 0)
    write(outcomes)
    for line in written_report(outcomes):
        _say(console, line)


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


Shape = StrEnum("Shape", {name: name for name in SHAPE_NAMES})  # type: ignore[misc]
"""How collected events are laid out, from the shapes' registry."""
SEGMENT = Shape("segment")


@app.command()
def validate(
    sources: Annotated[list[str] | None, typer.Argument(
        metavar="SOURCE...", help="NDJSON / JSON Lines (.gz too), JSON arrays or Parquet: files, folders or globs.",
        show_default=False)] = None,
    plan: Annotated[str | None, typer.Option("--plan", metavar="PLAN", help="The plan directory. Default: plans/ "
                                             "if it holds a tracking-plan.yaml, else '.'.", show_default=False)] = None,
    shape: Annotated[Shape | None, typer.Option(help="How the events are laid out. Default: detected.",
                                                show_default=False)] = None,
    event_column: Annotated[str, typer.Option(metavar="COLUMN", help="For the flat shape: the column with the "
                                              "event name.")] = "event",
    output_format: Annotated[ValidateFormat, typer.Option("--format", "-f", help="Output format.")]
    = ValidateFormat.text,
    fail_on: Annotated[str, typer.Option(metavar="any|never|PCT", help="Exit 1 on any violation (any), never, or "
                                         "when the share of valid events is below PCT percent (e.g. 99.5).")] = "any",
    since: Annotated[str | None, typer.Option(metavar="DURATION", help="List planned events not seen in the last "
                                              "DURATION of the data (e.g. 7d, 12h).", show_default=False)] = None,
    sql: Annotated[str | None, typer.Option("--sql", metavar="DIALECT", help="Print the checks as one SQL query "
                                            "for the warehouse instead: bigquery, clickhouse, databricks, duckdb, "
                                            "postgres, redshift or snowflake.", show_default=False)] = None,
    table: Annotated[str | None, typer.Option(metavar="NAME", help="With --sql: the table of collected events.",
                                              show_default=False)] = None,
    column: Annotated[list[str] | None, typer.Option(metavar="KEY=NAME", help="With --sql: the table's name for "
                                                     "one of the layout's columns (repeatable), e.g. "
                                                     "properties=props.", show_default=False)] = None,
    rules_table: Annotated[str | None, typer.Option(metavar="NAME", help="With --sql: read the plan's rules from "
                                                    "this warehouse table (loaded from --rules-out): the query's "
                                                    "size no longer grows with the plan.", show_default=False)]
    = None,
    rules_out: Annotated[Path | None, typer.Option(metavar="FILE", help="With --sql: write the plan's rules as "
                                                   "CSV, to load as the --rules-table.", show_default=False)] = None,
    from_sql_result: Annotated[str | None, typer.Option(metavar="FILE", help="Report on the result of the --sql "
                                                        "query, exported as CSV or JSON.", show_default=False)]
    = None,
) -> None:
    """Check collected events against the plan (DuckDB, embedded): per event and per squad, what does not match."""
    import re
    from datetime import timedelta

    from tracking_plan.validate.engine import validate as run_validation

    threshold: float | None
    if fail_on in ("any", "never"):
        threshold = None
    else:
        try:
            threshold = float(fail_on.rstrip("%"))
        except ValueError:
            threshold = math.nan
        if not 0 <= threshold <= 100:  # NaN too
            raise UsageError(f"--fail-on takes any, never or a percentage from 0 to 100, not '{fail_on}'.",
                             "--fail-on 99.5")
    window = None
    if since is not None:
        match = re.fullmatch(r"(\d+)([dhm])", since)
        if match is None:
            raise UsageError(f"--since takes a duration like 7d, 12h or 30m, not '{since}'.", None)
        window = timedelta(**{{"d": "days", "h": "hours", "m": "minutes"}[match[2]]: int(match[1])})
    if sql is None and (rules_table is not None or rules_out is not None):
        raise UsageError("--rules-table and --rules-out go with --sql.",
                         "tracking-plan validate --sql bigquery --table T --rules-table R --rules-out rules.csv")
    loaded = _readable_plan(plan, "Nothing was validated: fix the plan first.")
    if sql is not None:
        _print_sql(loaded, plan, sql, table, shape.value if shape else "segment", event_column, column or [],
                   sources, rules_table, rules_out)
        raise typer.Exit(0)
    if from_sql_result is not None:
        if sources:
            raise UsageError("--from-sql-result reads the query's result, not SOURCE files.",
                             "Pass either SOURCE... or --from-sql-result FILE.")
        from tracking_plan.validate.sqlresult import read_result

        result = read_result(loaded, from_sql_result, shape.value if shape else "segment", window)
    else:
        if not sources:
            raise UsageError("Nothing to validate: name the collected events.",
                             "tracking-plan validate events.ndjson (or --sql DIALECT --table NAME for a warehouse).")
        result = _with_progress(lambda report: run_validation(loaded, sources or [], shape.value if shape else None,
                                                              event_column, window, report))
    _emit("tracking_plan.validate.render", output_format.value, result)
    if fail_on == "never":
        raise typer.Exit(0)
    if threshold is not None:
        rate = 100 * result.valid / result.total if result.total else 100.0
        raise typer.Exit(1 if rate < threshold else 0)
    raise typer.Exit(1 if result.valid < result.total else 0)


def _with_progress(work: Callable[[Callable[[float], None] | None], T]) -> T:
    """Run `work`, drawing its progress on stderr when that is a terminal (never into a pipe or a CI log)."""
    console = _console(stderr=True)
    if not console.is_terminal:
        return work(None)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("checking events"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("validate", total=1.0)
        return work(lambda done: bar.update(task, completed=done))


def _warehouse_table(table: str | None, columns: list[str]) -> tuple[str, dict[str, str]]:
    """The warehouse table (it must be named) and its column names given as --column KEY=NAME."""
    if not table:
        raise UsageError("--sql needs the table to read.", "--sql bigquery --table analytics.tracks")
    from tracking_plan.core.options import key_values

    return table, key_values(columns, "--column", "properties=props", "KEY=NAME")


def _print_sql(plan: Plan, plan_path: str | None, dialect: str, table: str | None, shape: str, event_column: str,
               columns: list[str], sources: list[str] | None, rules_table: str | None, rules_out: Path | None) -> None:
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.output.fileio import refuse_plan_paths
    from tracking_plan.validate.sql import print_warehouse_sql

    if sources:
        raise UsageError("--sql prints a query for a warehouse table: it reads no SOURCE file.",
                         "Drop the SOURCE arguments, or drop --sql to validate the files here.")
    if shape == "flat" and not event_column.strip():
        raise UsageError("--event-column is empty.", "Name the column holding the event name: --event-column event.")
    renames = {"event": event_column} if shape == "flat" else {}
    table, named = _warehouse_table(table, columns)
    renames.update(named)
    if rules_out is not None:
        refuse_plan_paths(rules_out, find_plan_root(plan_path)[0], "validate --rules-out")
    warnings = _console(stderr=True)
    sys.stdout.write(print_warehouse_sql(plan, dialect.lower(), table, shape, renames, rules_table, rules_out,
                                         note=lambda text: _say(warnings, f"note: {text}")))


class StatusFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"
    github = "github"


class StatusFailOn(StrEnum):
    unplanned = "unplanned"
    missing = "missing"
    any = "any"
    never = "never"


@app.command()
def status(
    sources: Annotated[list[str] | None, typer.Argument(
        metavar="SOURCE...", help="Folders or files of the app's code. Default: the status: section of "
        "tracking-plan.yaml, else '.'.", show_default=False)] = None,
    plan: Annotated[str | None, typer.Option("--plan", metavar="PLAN", help="The plan directory. Default: plans/ "
                                             "if it holds a tracking-plan.yaml, else '.'.", show_default=False)] = None,
    platform: Annotated[list[str] | None, typer.Option(metavar="NAME=PATH", help="The code under PATH is the "
                                                       "platform NAME (repeatable), e.g. ios=App/iOS. Default: by "
                                                       "language (TypeScript/JavaScript web, Python backend, Kotlin "
                                                       "android, Swift ios).", show_default=False)] = None,
    output_format: Annotated[StatusFormat, typer.Option("--format", "-f", help="Output format.")] = StatusFormat.text,
    fail_on: Annotated[StatusFailOn, typer.Option(help="Exit 1 on unplanned calls (unplanned or deprecated events, "
                                                  "wrong keys), on planned events never sent (missing), on any "
                                                  "finding, or never.")] = StatusFailOn.unplanned,
    cache: Annotated[bool, typer.Option(help="Keep what each file holds, keyed by its content, so an unchanged "
                                        "tree is re-read at once.")] = True,
) -> None:
    """Which planned events the code really sends, per platform: read from the source (tree-sitter), not guessed."""
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.status import run_status
    from tracking_plan.status.scan import default_cache

    plan_dir, _ = find_plan_root(plan)
    result = run_status(plan_dir, lambda: _readable_plan(plan, "Nothing was checked: fix the plan first."),
                        sources or [], platform or [], default_cache() if cache else None)
    _emit("tracking_plan.status.render", output_format.value, result)
    raise typer.Exit(1 if result.failed(fail_on.value) else 0)


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"
    json = "json"


@app.command()
def report(
    path: PathArgument = None,
    plan_option: PlanOption = None,
    output_format: Annotated[ReportFormat | None, typer.Option(
        "--format", "-f", help="html, markdown or json. Default: from --out's extension, else markdown.",
        show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Write the report to this file (default: standard output).",
                                             show_default=False)] = None,
    history: Annotated[bool, typer.Option(help="Include the plan's history from git.")] = True,
    status_file: Annotated[str | None, typer.Option("--status", metavar="FILE", help="Show where each event is "
                                                    "implemented, from 'status --format json'.", show_default=False)]
    = None,
    status_source: Annotated[list[str] | None, typer.Option(metavar="PATH", help="Or read the app's code here "
                                                            "(repeatable), as 'status' does.", show_default=False)]
    = None,
    platform: Annotated[list[str] | None, typer.Option(metavar="NAME=PATH", help="With --status-source: the code "
                                                       "under PATH is platform NAME.", show_default=False)] = None,
) -> None:
    """Governance report: ownership, catalog, personal data, destinations, documentation health, history."""
    path = _plan_path(path, plan_option)
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.lint.engine import lint_plan
    from tracking_plan.output.fileio import write_atomically
    from tracking_plan.report import build_report
    from tracking_plan.report.history import plan_history

    chosen = output_format
    if chosen is None:
        suffix = out.suffix.lower() if out else ""
        chosen = {".html": ReportFormat.html, ".htm": ReportFormat.html, ".json": ReportFormat.json}.get(
            suffix, ReportFormat.markdown)
    plan_dir, _ = find_plan_root(path)
    if out is not None:
        from tracking_plan.output.fileio import refuse_plan_paths

        refuse_plan_paths(out, plan_dir, "report")
    linted = lint_plan(path)
    if linted.plan is None:
        from tracking_plan.lint.render import text as text_output

        _console(stderr=True).print(text_output.render(linted))  # stdout is for the report alone
        _console(stderr=True).print("No report: the plan cannot be read.")
        raise typer.Exit(1)
    implementation = None
    if status_file is not None:
        from tracking_plan.status.render.json import read

        implementation = read(status_file)
    elif status_source or platform:
        from tracking_plan.status import run_status
        from tracking_plan.status.render.json import document
        from tracking_plan.status.scan import default_cache

        readable = linted.plan
        implementation = document(run_status(plan_dir, lambda: readable, status_source or [], platform or [],
                                             default_cache()))
    data = build_report(linted.plan, linted, plan_history(plan_dir) if history else None, implementation)
    text = _rendered("tracking_plan.report", chosen.value, data)
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomically({out: text})
        _say(_console(stderr=True), f"Wrote the {chosen.value} report to {out}.")


ImportFormat = StrEnum("ImportFormat", {name: name for name in IMPORT_FORMATS})  # type: ignore[misc]
"""The importers' registry (importers.FORMATS)."""


@app.command(name="import")
def import_plan(
    source_format: Annotated[ImportFormat, typer.Argument(metavar="FORMAT", help="segment, rudderstack, "
                                                          "mparticle or jsonschema.")],
    source: Annotated[Path, typer.Argument(metavar="SOURCE", help="The file or folder to import.")],
    out: Annotated[Path, typer.Option(metavar="DIR", help="The plan directory to create (or an earlier import to "
                                                                    "replace).")],
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that already holds other files.")]
    = False,
) -> None:
    """Adopt an existing tracking plan: write it as a plan directory, and report what could not be carried over."""
    from tracking_plan.importers import read
    from tracking_plan.importers.write import check_destination, write_plan

    if not source.exists():
        raise UsageError(f"{source} does not exist.", "Pass the exported plan file or folder.")
    check_destination(out, force)  # before reading: a refusal costs nothing
    imported = read(source_format.value, source)
    written = write_plan(imported, out, force)
    console = _console()
    _say(console, f"Imported {_plural(len(imported.events), 'event')} and {_plural(len(imported.traits), 'trait')} "
                  f"into {out} ({_plural(len(written), 'file')}).")
    if imported.dropped:
        console.print(f"Not carried over ({len(imported.dropped)}):")
        for item in imported.dropped:
            _say(console, f"  {item.where}: {item.what} — {item.why}")
    _say(console, f"Next: tracking-plan lint {out}")


ExportFormat = StrEnum("ExportFormat", {name.replace("-", "_"): name for name in EXPORTERS})  # type: ignore[misc]
"""The exporters' registry (exporters.EXPORTERS)."""


@app.command()
def export(
    target_format: Annotated[ExportFormat, typer.Argument(metavar="FORMAT", help="segment, rudderstack, "
                                                          "jsonschema or dbt-metrics.")],
    path: PathArgument = None,
    plan_option: PlanOption = None,
    out: Annotated[Path, typer.Option(metavar="PATH", help="File (segment) or folder (rudderstack, jsonschema, "
                                                            "dbt-metrics) to write.")] = Path("-"),
    sql: Annotated[str, typer.Option("--sql", metavar="DIALECT", help="dbt-metrics: the warehouse's SQL dialect.")]
    = "bigquery",
    table: Annotated[str, typer.Option(metavar="NAME", help="dbt-metrics: the table of collected events.")]
    = "tracks",
    shape: Annotated[Shape, typer.Option(help="dbt-metrics: how the table lays events out.")] = SEGMENT,
) -> None:
    """Hand the plan to another tool: Segment Public API rules, a rudder-cli project, JSON Schemas, or dbt
    semantic-layer metrics."""
    path = _plan_path(path, plan_option)
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.output.fileio import refuse_plan_paths, replace_tree, write_atomically

    if str(out) != "-":
        refuse_plan_paths(out, find_plan_root(path)[0], "export")
    plan = _readable_plan(path, "Nothing was exported: fix the plan first.")
    from tracking_plan.exporters import EXPORTERS, ExportOptions
    from tracking_plan.generate import CodegenError

    exporter = EXPORTERS[target_format.value]
    try:
        files = {Path(name): text for name, text in exporter.render(
            plan, ExportOptions(sql, table, shape.value)).items()}
    except CodegenError as error:
        _refuse_collisions(plan, error, "Nothing was exported: names would collide in the schema file names "
                           "(tracking-plan generate jsonschema -o collisions=suffix adds suffixes).")
    if str(out) == "-":
        if len(files) != 1:
            raise UsageError(f"The {target_format.value} export is several files.", "Pass --out FOLDER.")
        sys.stdout.write(next(iter(files.values())))
        return
    if len(files) == 1 and out.suffix:
        write_atomically({out: next(iter(files.values()))})
    else:
        replace_tree(out, {name.as_posix(): text for name, text in files.items()})
    what = _plural(len(plan.metrics), "metric") if exporter.counts == "metric" else _plural(len(plan.events), "event")
    _say(_console(stderr=True), f"Exported {what} to {out}.")


class MetricsFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def metrics(
    sources: Annotated[list[str] | None, typer.Argument(
        metavar="[SOURCE...]", help="Compute the metrics over these files (as validate reads them: NDJSON, JSON, "
        "Parquet; files, folders or globs).", show_default=False)] = None,
    sql: Annotated[str | None, typer.Option("--sql", metavar="DIALECT", help="Print each metric's query instead, "
                                            "for your warehouse: bigquery, clickhouse, databricks, duckdb, "
                                            "postgres, redshift or snowflake.", show_default=False)] = None,
    table: Annotated[str | None, typer.Option(metavar="NAME", help="With --sql: the table of collected events.",
                                              show_default=False)] = None,
    plan: Annotated[str | None, typer.Option("--plan", metavar="PLAN", help="The plan directory. Default: plans/ "
                                             "if it holds a tracking-plan.yaml, else '.'.", show_default=False)] = None,
    shape: Annotated[Shape | None, typer.Option(help="How the events are laid out. Default: detected in files, "
                                                "segment for --sql.", show_default=False)] = None,
    event_column: Annotated[str, typer.Option(metavar="COLUMN", help="For the flat shape: the column with the "
                                              "event name.")] = "event",
    metric: Annotated[list[str] | None, typer.Option("--metric", metavar="NAME", help="Only this metric "
                                                     "(repeatable).", show_default=False)] = None,
    output_format: Annotated[MetricsFormat, typer.Option("--format", "-f", help="Output format, for files.")]
    = MetricsFormat.text,
    column: Annotated[list[str] | None, typer.Option(metavar="KEY=NAME", help="With --sql: the table's name for "
                                                     "one of the layout's columns (repeatable).",
                                                     show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(metavar="FOLDER", help="With --sql: write one NAME.sql per metric "
                                             "there (default: all to standard output).", show_default=False)] = None,
) -> None:
    """Each metric of the plan by day: computed here over collected files, or as queries for your warehouse."""
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.metrics.sql import header, metric_queries
    from tracking_plan.output.fileio import refuse_plan_paths, replace_tree, safe_file_name

    if bool(sources) == bool(sql):
        raise UsageError("Give files to compute the metrics over, or --sql DIALECT to print their queries."
                         if not sources else "Files and --sql do not go together: the files are computed here.",
                         "tracking-plan metrics events.ndjson, or tracking-plan metrics --sql bigquery --table T.")
    if out is not None:
        refuse_plan_paths(out, find_plan_root(plan)[0], "metrics")
    loaded = _readable_plan(plan, "No metric was computed: fix the plan first." if sources else
                            "No query was written: fix the plan first.")
    unknown = [name for name in metric or [] if name not in loaded.metrics]
    if unknown:
        from tracking_plan.core.naming import closest_name

        guess = closest_name(unknown[0], loaded.metrics)
        raise UsageError(f"The plan has no metric '{unknown[0]}'." + (f" Did you mean '{guess}'?" if guess else ""),
                         f"Its metrics: {', '.join(sorted(loaded.metrics)) or 'none'}.")
    if sources:
        from tracking_plan.metrics.local import compute

        if not loaded.metrics:
            _say(_console(stderr=True), "The plan defines no metrics: there is nothing to compute.")
        _emit("tracking_plan.metrics.render", output_format.value,
              compute(loaded, sources, shape.value if shape else None, event_column, metric or ()))
        return
    assert sql is not None
    table_name, renames = _warehouse_table(table, column or [])
    queries = metric_queries(loaded, sql.lower(), table_name, shape.value if shape else "segment", renames)
    if metric:
        queries = {name: query for name, query in queries.items() if name in metric}
    if not queries:
        _say(_console(stderr=True), "The plan defines no metrics: there is no query to write.")
    texts = {name: header(loaded.metrics[name]) + query for name, query in queries.items()}
    if out is None:
        sys.stdout.write("\n".join(text.rstrip("\n") + ";\n" for text in texts.values()))
        return
    files: dict[str, str] = {}
    for name, text in texts.items():
        file = f"{safe_file_name(name)}.sql"
        if file in files:
            raise UsageError(f"Two metrics would be written to {file}.", "Rename one (lint: unsafe-file-name).")
        files[file] = text
    replace_tree(out, files)
    _say(_console(stderr=True), f"Wrote {len(texts)} metric {'query' if len(texts) == 1 else 'queries'} to {out}.")


@app.command()
def collect(
    plan: Annotated[str | None, typer.Option("--plan", metavar="PLAN", help="The plan directory. Default: plans/ "
                                             "if it holds a tracking-plan.yaml, else '.'.", show_default=False)] = None,
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port to listen on.")] = 8787,
    host: Annotated[str, typer.Option(help="The address to listen on (127.0.0.1: this machine only).")]
    = "127.0.0.1",
    out: Annotated[Path | None, typer.Option(metavar="FILE", help="Append every event to this NDJSON file "
                                             "(validate reads it back).", show_default=False)] = None,
    watch: Annotated[bool, typer.Option("--watch", help="Reload the plan when its files change.")] = False,
    allow_origin: Annotated[list[str] | None, typer.Option(metavar="ORIGIN", help="A web origin that may read "
                                                           "and reset the collector (/tracking-plan/*), e.g. "
                                                           "http://localhost:3000. Repeatable.",
                                                           show_default=False)] = None,
    allow_host: Annotated[list[str] | None, typer.Option(metavar="NAME", help="A host name the collector answers "
                                                         "to besides loopback ones and --host. Repeatable.",
                                                         show_default=False)] = None,
    show_values: Annotated[bool, typer.Option("--show-values", help="Show values the plan does not name (ids, "
                                              "context, unplanned properties) in /tracking-plan/events, not "
                                              "only their type and length; pii ones stay hidden.")] = False,
) -> None:
    """A local collector for your app's SDK (Segment, RudderStack, Amplitude, GA4): every event checked live."""
    from tracking_plan.collect.serve import serve
    from tracking_plan.core.discover import find_plan_root, load_plan
    from tracking_plan.output.fileio import refuse_plan_paths

    root = find_plan_root(plan)[0]
    if out is not None:
        refuse_plan_paths(out, root, "collect")
        if out.exists() and not out.is_file():
            raise UsageError(f"{out} is not a regular file.", "Name a file for --out.")
    loaded = _readable_plan(plan, "The collector did not start: fix the plan first.")

    def reload() -> Plan | str:
        """The plan again, or where it is broken: the first error at file:line, and how many there are."""
        fresh = load_plan(plan)
        if fresh.ok and fresh.plan is not None:
            return fresh.plan
        errors = [d for d in fresh.diagnostics if d.severity.value == "error"]
        first = errors[0] if errors else None
        where = f"{first.location}: " if first is not None and first.location else ""
        return (f"{where}{first.message if first else 'the plan cannot be read'}"
                + (f" (and {len(errors) - 1} more: run tracking-plan lint)" if len(errors) > 1 else ""))

    serve(loaded, root, reload, host, port, out, watch, _console(), allow_host or [], allow_origin or [], show_values)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option(metavar="FILE", help="Write it to this file (default: standard output).",
                                             show_default=False)] = None,
) -> None:
    """Print the JSON Schema of plan files, for editors (# yaml-language-server: $schema=...)."""
    from tracking_plan.core.schema import schema_text
    from tracking_plan.output.fileio import write_atomically

    if out is None:
        sys.stdout.write(schema_text())
    else:
        if out.suffix.lower() in (".yaml", ".yml"):
            raise UsageError(f"{out} is a YAML file name: in a plan folder it would be read as part of the plan.",
                             "Write the schema as plan.schema.json.")
        write_atomically({out: schema_text()})


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Where to create the plan.")] = Path("plans"),
) -> None:
    """Create a small, valid plan to start from. Never overwrites a file."""
    from tracking_plan.scaffold import scaffold

    written = scaffold(directory)
    console = _console()
    for path in written:
        _say(console, f"created {path}")
    _say(console, f"Next: edit the files, then run 'tracking-plan lint {directory}'.")


def _rendered(package: str, output_format: str, value: object) -> Any:
    """The one way every command renders: the verb's renderer for the format (`PACKAGE.FORMAT.render`, one pure
    function of the result)."""
    import importlib

    return importlib.import_module(f"{package}.{output_format}").render(value)


def _emit(package: str, output_format: str, value: object) -> None:
    """Rendered (see `_rendered`): text goes to stdout as is, rich renderables through the console."""
    rendered = _rendered(package, output_format, value)
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
    else:
        _console().print(rendered)


def _say(console: Console, text: str) -> None:
    """Print a message holding names or paths: no markup is read from it, and control characters are shown."""
    console.print(visible(text), markup=False, highlight=False)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _refuse_collisions(plan: Plan, error: CodegenError, refusal: str) -> NoReturn:
    """Show where generated names collide (findings at file:line, as lint shows them) and exit 1."""
    from tracking_plan.lint.engine import LintResult
    from tracking_plan.lint.render import text as text_output

    _console().print(text_output.render(LintResult(plan, tuple(error.diagnostics), len(plan.files))))
    _console(stderr=True).print(refusal)
    raise typer.Exit(1)


def _readable_plan(path: str | None, refusal: str) -> Plan:
    """The plan, for commands that need it whole: on any loader error, show the findings and exit 1."""
    from tracking_plan.core.discover import load_plan
    from tracking_plan.lint.engine import LintResult
    from tracking_plan.lint.render import text as text_output

    loaded = load_plan(path)
    if not loaded.ok or loaded.plan is None:
        files = len(loaded.plan.files) if loaded.plan else len({d.location.file for d in loaded.diagnostics
                                                                if d.location})
        _console(stderr=True).print(text_output.render(LintResult(loaded.plan, loaded.diagnostics, files)))
        _console(stderr=True).print(refusal)
        raise typer.Exit(1)
    return loaded.plan


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: our own errors become a message and an exit code, never a traceback."""
    global _PROCESS
    _PROCESS = argv is None
    _plain_help_labels()
    try:
        _main(argv)
    finally:
        if not _PROCESS:  # called in-process: what the command froze (the plan, see gc_paused) can be freed again
            import gc

            gc.unfreeze()


def _main(argv: list[str] | None) -> None:
    from typer._click import exceptions as click_errors

    try:
        code = typer.main.get_command(app).main(args=argv, prog_name="tracking-plan", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click_errors.UsageError as exc:  # a bad option or argument: say it as a person would
        console = _console(stderr=True)
        if exc.ctx is not None:
            console.print(exc.ctx.get_usage(), markup=False, highlight=False)
        message = exc.format_message().replace("Value error, ", "")
        console.print(f"[bold red]error:[/] {_escape(visible(message))}")
        command = exc.ctx.command_path if exc.ctx is not None else "tracking-plan"
        console.print(f"[green]hint:[/] {_escape(visible(command))} --help lists the options.")
        sys.exit(2)
    except click_errors.ClickException as exc:
        _console(stderr=True).print(f"[bold red]error:[/] {_escape(visible(exc.format_message()))}")
        sys.exit(exc.exit_code)
    except UsageError as exc:
        console = _console(stderr=True)
        console.print(f"[bold red]error:[/] {_escape(visible(exc.message))}")
        if exc.hint:
            console.print(f"[green]hint:[/] {_escape(visible(exc.hint))}")
        sys.exit(2)
    except OSError as exc:  # the file system said no (a name too long, no space, no permission): not a bug
        where = f" {exc.filename}" if exc.filename else ""
        _console(stderr=True).print(f"[bold red]error:[/] {_escape(visible(f'{exc.strerror or exc}:{where}'))}")
        _console(stderr=True).print("[green]hint:[/] Check the path, its permissions and the free space; "
                                    "nothing was half-written.")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the last guard: a bug must not show users a traceback
        if os.environ.get("TRACKING_PLAN_DEBUG"):
            raise
        sys.stderr.write(
            f"tracking-plan: internal error ({type(exc).__name__}: {exc}).\n"
            "This is a bug in tracking-plan, not in your plan: please report it with the command you ran.\n"
            "Set TRACKING_PLAN_DEBUG=1 to see the details.\n"
        )
        sys.exit(3)


def _plain_help_labels() -> None:
    """Help shows parameters as people write them: `--check-version`, `--out PATH`, `[TARGET]`, `[text|json]`.

    Typer labels every parameter with its Python type (`<bool>` on a flag, `<str>` on an argument), which reads
    as a value to type. Flags and arguments get no label; other options their metavar, else their choices or
    type in capitals."""
    from typer import core

    def argument_label(self: core.TyperArgument, ctx: object) -> str | None:
        return None

    def option_label(self: core.TyperOption, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        label = self.display_type(ctx).strip("<>")
        # Spaces around the bars: a narrow help column (not a terminal: 80 wide) then breaks between choices, not
        # inside one (`[error|warning|info|neve r]`).
        return f"[{' | '.join(label.split('|'))}]" if "|" in label else label.upper()

    if hasattr(core, "TyperArgument") and hasattr(core, "TyperOption"):
        core.TyperArgument.display_type_rich = argument_label  # type: ignore[method-assign,assignment]
        core.TyperOption.display_type_rich = option_label  # type: ignore[method-assign]


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
