"""Reading the collected events for `infer`: the sources, shapes and engine `validate` reads them with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.infer.stats import Observed, observe
from tracking_plan.validate.engine import connect, expand, open_events, run_statement, unreadable


def observed(sources: list[str], shape_name: str | None, event_column: str,
             progress: Callable[[float], None] | None = None, by_file: bool = False,
             ) -> tuple[Observed, dict[tuple[str, str], str]]:
    """The statistics of the events in `sources`; with `by_file`, each call's file (the one it is most seen in,
    by its name without extension): `--group-by file`."""
    import duckdb

    files, kind = expand(sources)
    connection = connect()
    try:
        opened = open_events(connection, files, kind, shape_name, event_column)
        if opened is None:
            raise UsageError("The data holds no event: there is nothing to infer a plan from.",
                             "Point infer at the files your SDKs or your warehouse export wrote.")
        shape, present, source = opened

        def run(sql: str, start: float, share: float) -> list[tuple[Any, ...]]:
            return run_statement(connection, sql, progress, start, share)

        result = observe(shape.normalize(source, present), shape.name, tuple(files), run)
        groups: dict[tuple[str, str], str] = {}
        if by_file:
            counts: dict[tuple[str, str], tuple[int, str]] = {}
            for file in files:
                one = open_events(connection, [file], kind, shape.name, event_column)
                if one is None:
                    continue
                _, columns, relation = one
                sql = (f"SELECT kind, coalesce(name, '(no name)'), count(*) FROM "
                       f"({shape.normalize(relation, columns)}) GROUP BY ALL")
                for call_kind, name, n in connection.execute(sql).fetchall():
                    if n > counts.get((call_kind, name), (0, ""))[0]:
                        counts[(call_kind, name)] = (n, Path(file).name.split(".")[0])
            groups = {key: stem for key, (_, stem) in counts.items()}
        return result, groups
    except (duckdb.Error, UnicodeDecodeError) as error:
        raise unreadable(error, kind) from None
    finally:
        connection.close()
