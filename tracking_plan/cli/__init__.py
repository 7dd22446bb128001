"""The command line: parse options, call one library function, render, and map errors to exit codes.

Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage errors; 3 an internal error.
One module per verb (VERBS, in `--help`'s order), each a thin typer command in front of its verb's package; what
they share is in common.py. Heavy modules are imported inside commands so that `--version` stays instant.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Any

import typer

from tracking_plan import __version__
from tracking_plan.cli import common
from tracking_plan.cli.common import app, console
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.output.terminal import visible

VERBS = ("lint", "diff", "generate", "validate", "status", "report", "transfer", "infer", "sync", "metrics",
         "collect", "start")
"""The command modules, registered in this order: lint (and rules), diff, generate, validate, status, report,
transfer (import and export), infer, sync (pull and push), metrics, collect, start (schema and init)."""


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


for _verb in VERBS:
    importlib.import_module(f"tracking_plan.cli.{_verb}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: our own errors become a message and an exit code, never a traceback."""
    common._process[0] = argv is None
    _plain_help_labels()
    try:
        _main(argv)
    finally:
        if not common._process[0]:  # in-process: what the command froze (the plan, see gc_paused) can be freed
            import gc

            gc.unfreeze()


def _main(argv: list[str] | None) -> None:
    from typer._click import exceptions as click_errors

    try:
        code = typer.main.get_command(common.app).main(args=argv, prog_name="tracking-plan", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click_errors.UsageError as exc:  # a bad option or argument: say it as a person would
        err = console(stderr=True)
        if exc.ctx is not None:
            err.print(exc.ctx.get_usage(), markup=False, highlight=False)
        message = exc.format_message().replace("Value error, ", "")
        err.print(f"[bold red]error:[/] {_escape(visible(message))}")
        command = exc.ctx.command_path if exc.ctx is not None else "tracking-plan"
        err.print(f"[green]hint:[/] {_escape(visible(command))} --help lists the options.")
        sys.exit(2)
    except click_errors.ClickException as exc:
        console(stderr=True).print(f"[bold red]error:[/] {_escape(visible(exc.format_message()))}")
        sys.exit(exc.exit_code)
    except UsageError as exc:
        err = console(stderr=True)
        err.print(f"[bold red]error:[/] {_escape(visible(exc.message))}")
        if exc.hint:
            err.print(f"[green]hint:[/] {_escape(visible(exc.hint))}")
        sys.exit(2)
    except OSError as exc:  # the file system said no (a name too long, no space, no permission): not a bug
        where = f" {exc.filename}" if exc.filename else ""
        console(stderr=True).print(f"[bold red]error:[/] {_escape(visible(f'{exc.strerror or exc}:{where}'))}")
        console(stderr=True).print("[green]hint:[/] Check the path, its permissions and the free space; "
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
