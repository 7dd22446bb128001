"""`validate --format html`: one self-contained page (no network, no script), every value escaped."""

from __future__ import annotations

import jinja2

from tracking_plan.conformance.result import ValidationResult


def render(result: ValidationResult) -> str:
    environment = jinja2.Environment(loader=jinja2.PackageLoader("tracking_plan.validate", "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                     lstrip_blocks=True)
    return environment.get_template("validate.html.j2").render(
        summary=result.summary(), shape=result.shape, events=result.events, silent=result.silent,
        stale=result.stale)
