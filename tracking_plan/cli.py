"""The command line: parse options, call one library function, render, and map errors to exit codes.

Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage errors; 3 an internal error.
Heavy modules are imported inside commands so that `--version` stays instant.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracking_plan import __version__
from tracking_plan.diagnostics import UsageError

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    name="tracking-plan",
    help="Lint, diff, generate code from and report on an analytics tracking plan kept as YAML in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

PathArgument = Annotated[
    str | None,
    typer.Argument(help="The plan directory. Default: plans/ if it holds a tracking-plan.yaml, else '.'.",
                   show_default=False),
]


class LintFormat(StrEnum):
    text = "text"
    json = "json"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"tracking-plan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version_callback, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Lint, diff, generate code from and report on an analytics tracking plan kept as YAML in git."""


@app.command()
def lint(
    path: PathArgument = None,
    output_format: Annotated[LintFormat, typer.Option("--format", "-f", help="Output format.")] = LintFormat.text,
    fail_on: Annotated[FailOn, typer.Option(help="Lowest severity that makes the exit code 1.")] = FailOn.error,
) -> None:
    """Check the plan: files that do not parse, unknown keys, wrong values, broken references."""
    from tracking_plan.diagnostics import Severity
    from tracking_plan.lint import lint_plan

    result = lint_plan(path)
    if output_format is LintFormat.json:
        from tracking_plan.output import json as json_output

        sys.stdout.write(json_output.render(result))
    else:
        from tracking_plan.output import text as text_output

        _console().print(text_output.render(result))
    threshold = None if fail_on is FailOn.never else Severity(fail_on.value)
    raise typer.Exit(1 if result.fails(threshold) else 0)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the plan.")] = Path("plans"),
) -> None:
    """Create a small, valid plan to start from. Never overwrites a file."""
    from tracking_plan.scaffold import scaffold

    written = scaffold(directory)
    console = _console()
    for path in written:
        console.print(f"created {path}", highlight=False)
    console.print(f"Next: edit the files, then run 'tracking-plan lint {directory}'.", highlight=False)


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: our own errors become a message and an exit code, never a traceback."""
    try:
        app(args=argv, prog_name="tracking-plan")
    except UsageError as exc:
        console = _console(stderr=True)
        console.print(f"[bold red]error:[/] {_escape(exc.message)}")
        if exc.hint:
            console.print(f"[green]hint:[/] {_escape(exc.hint)}")
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


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
