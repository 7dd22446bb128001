"""What every vendor of push and pull does, and what they share: the remote side as a plan, the changes that would
make it the local plan, applying them."""

from __future__ import annotations

from typing import Any, Generic, NamedTuple, TypeVar

from tracking_plan.core.model import Plan
from tracking_plan.importers.model import ImportedPlan
from tracking_plan.sync.http import ApiError, Client


class Change(NamedTuple):
    kind: str
    """add, update, remove, or keep (a remote entity the plan does not have, left there without --prune)."""
    what: str
    payload: Any


Form = TypeVar("Form")
"""The plan in a vendor's own terms (Lexicon's schemas, PostHog's definitions...)."""


class Vendor(Generic[Form]):
    """Each vendor reads its remote copy once a run (a cached property), and puts the plan in its own terms once
    (`held`): push's dry-run diff and its changes come from the same copies, and no read is spent twice against
    the vendor's rate limits."""

    name = ""
    client: Client
    losses: tuple[str, ...] = ()
    """What the vendor cannot hold of the plan (set by `held`): listed before anything is written."""
    _held: tuple[Plan, Form] | None = None

    def hold(self, plan: Plan) -> tuple[Form, list[str]]:
        """The plan in the vendor's own terms, and what it cannot hold."""
        raise NotImplementedError

    def held(self, plan: Plan) -> Form:
        """`hold`, once for a plan."""
        if self._held is None or self._held[0] is not plan:
            form, losses = self.hold(plan)
            self._held, self.losses = (plan, form), tuple(losses)
        return self._held[1]

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
