"""`report --format json`: the report's data as it is, for scripts."""

from __future__ import annotations

import json
from typing import Any


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
