"""`tracking-plan init`: a small valid plan to start from."""

from __future__ import annotations

import re
from pathlib import Path

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.schema import schema_text
from tracking_plan.output.fileio import create_all

_ROOT = """\
# yaml-language-server: $schema=plan.schema.json
plan: {plan_id}
title: {title}
version: 0.1.0
conventions: {{events: title_case, properties: snake_case}}
squads:
  product: {{description: The team that owns these events, contact: "#product"}}
platforms: [web, backend]
destinations: [amplitude, bigquery]
pii_destinations: [bigquery]
traits_destinations: [bigquery]   # where identify() sends the traits: they hold personal data
additional_properties: false

traits:
  email: {{type: string, format: email, pii: true, description: The user's e-mail address.}}
"""

_PROPERTIES = """\
# yaml-language-server: $schema=../plan.schema.json
properties:
  order_id: {type: string, description: Identifier of the order.}
  price: {type: number, minimum: 0, description: "Amount taxes included, in the order currency."}
  currency: {type: string, enum: [EUR, USD, GBP], description: ISO 4217 currency code.}
"""

_EVENTS = """\
# yaml-language-server: $schema=../../plan.schema.json
events:
  Order Completed:
    description: The payment was accepted and the order was created.
    trigger: Backend, when the payment provider confirms the charge.
    owner: product
    platforms: [backend]
    destinations: [amplitude, bigquery]
    properties:
      order_id: {required: true}
      revenue: {ref: price, required: true}
      currency: {required: true}
"""

def scaffold(directory: Path) -> list[Path]:
    """Write a starter plan into `directory`; refuse if any file it would write exists."""
    # `plans/` (the default) says nothing about the plan: the folder around it (the repository) names it.
    folder = directory.resolve()
    name = folder.parent.name if folder.name in ("plans", "plan", "tracking-plan") else folder.name
    plan_id = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "my-plan"
    files = {
        directory / "tracking-plan.yaml": _ROOT.format(plan_id=plan_id, title=plan_id.replace("-", " ").capitalize()),
        directory / "plan.schema.json": schema_text(),
        directory / "properties" / "commerce.yaml": _PROPERTIES,
        directory / "events" / "product" / "orders.yaml": _EVENTS,
    }
    existing = [str(path) for path in files if path.exists()]
    if existing:
        raise UsageError(f"{directory} already holds plan files: {', '.join(existing)}.",
                         "init never overwrites files: choose an empty directory.")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} exists and is not a directory.", "Choose another path.")
    try:
        create_all(files)  # all or none: a full disk leaves no partial plan that lint would pass
    except FileExistsError as error:
        raise UsageError(f"{error.filename} appeared while init ran.", "init never overwrites files.") from None
    except OSError as error:
        raise UsageError(f"The plan could not be written to {directory}: {error.strerror or error}. Nothing was "
                         "written.", "Free some space (or choose another folder) and run init again.") from None
    return list(files)
