"""`infer --format json`: the calls seen and, with --against, every addition with its counts."""

from __future__ import annotations

import json

from tracking_plan.infer.result import InferResult


def render(result: InferResult) -> str:
    document = {"shape": result.observed.shape, "sources": list(result.observed.files), "out": result.out,
                "written": list(result.written), "against": result.against, "calls": result.calls()}
    if result.additions is not None:
        document["additions"] = result.items()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
