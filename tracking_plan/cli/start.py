"""`schema` and `init`: what a new plan starts from."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tracking_plan.cli.common import app, say_all
from tracking_plan.core.diagnostics import UsageError


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
        return
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

    say_all([*(f"created {path}" for path in scaffold(directory)),
             f"Next: edit the files, then run 'tracking-plan lint {directory}'."])
