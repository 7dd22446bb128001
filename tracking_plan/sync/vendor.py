"""What every vendor of push and pull does, and what they share: the remote side as a plan, the changes that would
make it the local plan, applying them."""

from __future__ import annotations

from typing import Any, NamedTuple

from tracking_plan.core.model import Plan
from tracking_plan.importers.model import ImportedPlan
from tracking_plan.sync.http import ApiError, Client


class Change(NamedTuple):
    kind: str
    """add, update, remove, or keep (a remote entity the plan does not have, left there without --prune)."""
    what: str
    payload: Any


class Vendor:
    """Each vendor reads its remote copy once a run (a cached property): push's dry-run diff and its changes come
    from the same copy, and no read is spent twice against the vendor's rate limits."""

    name = ""
    client: Client
    losses: tuple[str, ...] = ()
    """What the vendor cannot hold of the plan (set by `changes`): listed before anything is written."""

    def projected(self, plan: Plan) -> ImportedPlan | None:
        """The plan as the vendor can hold it, when it holds less than the plan says (None: all of it)."""
        return None

    def pull(self) -> ImportedPlan:
        raise NotImplementedError

    def changes(self, plan: Plan, prune: bool) -> list[Change]:
        raise NotImplementedError

    def batches(self, changes: list[Change]) -> list[list[Change]]:
        """The changes to send (never `keep`), a request's worth each, in the order to send them: one a request
        unless the API takes batches."""
        return [[change] for change in changes]

    def send(self, batch: list[Change]) -> None:
        """Apply one batch: the vendor's request (or requests) for it."""
        raise NotImplementedError

    def apply(self, changes: list[Change]) -> list[Change]:
        """Send every batch; return what was applied: all of it, or up to a failure, which is raised with that
        list (`ApiError.applied`) so that push can say what was and was not applied."""
        done: list[Change] = []
        try:
            for batch in self.batches([c for c in changes if c.kind != "keep"]):
                self.send(batch)
                done += batch
        except ApiError as error:
            error.applied = done
            raise
        return done
