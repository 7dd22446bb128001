"""What every command shares: the app, the options that mean the same in every command (said once), and the one
way to load the plan, render a result, print a message and end."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.output.terminal import visible

if TYPE_CHECKING:
    from rich.console import Console

    from tracking_plan.core.model import Plan
    from tracking_plan.generate import CodegenError
    from tracking_plan.lint.engine import LintResult

T = TypeVar("T")

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
PlanOnlyOption = Annotated[
    str | None,
    typer.Option("--plan", metavar="PLAN", help="The plan directory. Default: plans/ if it holds a "
                 "tracking-plan.yaml, else '.'.", show_default=False),
]
"""--plan for the commands whose arguments are not the plan (validate, status, metrics, collect)."""
EventColumnOption = Annotated[str, typer.Option(metavar="COLUMN", help="For the flat shape: the column with the "
                                                "event name.")]
TableOption = Annotated[str | None, typer.Option(metavar="NAME", help="With --sql: the table of collected events.",
                                                 show_default=False)]


def format_option(help_text: str = "Output format.", show_default: bool = True) -> Any:
    """`--format`/`-f`: its choices are the verb's renderer registry (`render.FORMATS`)."""
    return typer.Option("--format", "-f", help=help_text, show_default=show_default)


def choices(names: Iterable[str]) -> dict[str, str]:
    """A registry's names as an enum's members, for the command's choices (typer reads choices from an enum): a
    name with `-` is spelled with `_` as the member's name, its value unchanged."""
    return {choice.replace("-", "_"): choice for choice in names}


def plan_path(positional: str | None, option: str | None) -> str | None:
    """PLAN given as the argument or as --plan (every command that reads a plan takes --plan): once."""
    if positional is not None and option is not None and positional != option:
        raise UsageError(f"Two plans given: {positional} and --plan {option}.", "Give the plan once.")
    return option if option is not None else positional


_process = [False]
"""Whether main() runs as the process's entry point (the console script, `python -m`), not called in-process."""


def end(code: int) -> NoReturn:
    """End a command that has written its output. As a process, the process ends here, without freeing what the
    command built: a large plan is millions of objects, and freeing them one by one costs a tenth of a second
    the user waits for, to no end (mypy ends the same way). Called in-process, like any command."""
    if _process[0]:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # the reader went away: the usual ending says so
            raise typer.Exit(code) from None
        os._exit(code)
    raise typer.Exit(code)


def rendered(package: str, output_format: str, value: object) -> Any:
    """The one way every command renders: the verb's renderer for the format (`PACKAGE.FORMAT.render`, one pure
    function of the result)."""
    import importlib

    return importlib.import_module(f"{package}.{output_format}").render(value)


def emit(package: str, output_format: str, value: object) -> None:
    """Rendered (see `rendered`): text goes to stdout as is, rich renderables through the console."""
    text = rendered(package, output_format, value)
    if isinstance(text, str):
        sys.stdout.write(text)
    else:
        console().print(text)


def say(to: Console, text: str) -> None:
    """Print a message holding names or paths: no markup is read from it, and control characters are shown."""
    to.print(visible(text), markup=False, highlight=False)


def say_all(lines: Iterable[str]) -> None:
    """Messages on standard output, one a line (see `say`)."""
    to = console()
    for line in lines:
        say(to, line)


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def refuse(findings: LintResult, refusal: str, stderr: bool = True) -> NoReturn:
    """Show findings at file:line, as lint shows them, then why nothing was done; exit 1."""
    from tracking_plan.lint.render import text as text_output

    console(stderr=stderr).print(text_output.render(findings))
    console(stderr=True).print(refusal)
    raise typer.Exit(1)


def refuse_collisions(plan: Plan, error: CodegenError, refusal: str) -> NoReturn:
    """Show where generated names collide and exit 1."""
    from tracking_plan.lint.engine import LintResult

    refuse(LintResult(plan, tuple(error.diagnostics), len(plan.files)), refusal, stderr=False)


def readable_plan(path: str | None, refusal: str) -> Plan:
    """The plan, for commands that need it whole: on any loader error, show the findings and exit 1."""
    from tracking_plan.core.discover import load_plan
    from tracking_plan.lint.engine import LintResult

    loaded = load_plan(path)
    if not loaded.ok or loaded.plan is None:
        files = len(loaded.plan.files) if loaded.plan else len({d.location.file for d in loaded.diagnostics
                                                                if d.location})
        refuse(LintResult(loaded.plan, loaded.diagnostics, files), refusal)
    return loaded.plan


def with_progress(work: Callable[[Callable[[float], None] | None], T], label: str = "checking events") -> T:
    """Run `work`, drawing its progress on stderr when that is a terminal (never into a pipe or a CI log)."""
    to = console(stderr=True)
    if not to.is_terminal:
        return work(None)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=to, transient=True) as bar:
        task = bar.add_task("validate", total=1.0)
        return work(lambda done: bar.update(task, completed=done))
