"""`generate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracking_plan.cli.common import PathArgument, PlanOption, app, plan_path, readable_plan, refuse_collisions, say_all


@app.command()
def generate(
    target_name: Annotated[str | None, typer.Argument(
        metavar="TARGET", help="typescript, python, kotlin, swift, java, go, csharp or jsonschema. Default: every "
        "target listed under generate: in tracking-plan.yaml.", show_default=False)] = None,
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
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.core.options import key_values
    from tracking_plan.generate import CodegenError
    from tracking_plan.generate.run import (
        check_jobs,
        check_report,
        jobs_from_arguments,
        produce,
        target_and_plan,
        write,
        written_report,
    )

    target_name, path = target_and_plan(target_name, plan_path(path, plan_option))
    options = key_values(option or [], "--option", "package=com.shop.tracking", "NAME=VALUE", strip=False)
    plan_dir, _ = find_plan_root(path)
    plan = readable_plan(path, "Nothing was generated: fix the plan first.")
    try:
        outcomes = [produce(plan, plan_dir, job)
                    for job in jobs_from_arguments(plan, plan_dir, target_name, out, platform, options)]
    except CodegenError as error:
        refuse_collisions(plan, error, "Nothing was generated: names would collide in the generated code.")
    check_jobs(outcomes)
    if check:
        lines = check_report(outcomes, ["generate", *([target_name] if target_name else []), *([path] if path else []),
                                        *(["--out", str(out)] if out else []),
                                        *(["--platform", platform] if platform else []),
                                        *(word for item in option or [] for word in ("-o", item))])
        say_all(lines)
        raise typer.Exit(1 if lines else 0)
    write(outcomes)
    say_all(written_report(outcomes))
