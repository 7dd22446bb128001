import segment.analytics as analytics_client

from tracking import Tracker as PlanTracker


class Orders:
    def __init__(self, tracker: PlanTracker) -> None:
        self.tracker = tracker

    def paid(self, order_id: str) -> None:
        self.tracker.order_completed(
            {"order_id": order_id, "currency": "EUR"},
            user_id="u-1",
        )

    def refunded(self, order_id: str) -> None:
        analytics_client.track("u-1", "Refund Issued", {"amount": 3})

    def state_changed(self, state: str) -> None:
        analytics_client.track(user_id="u-1", event=f"Order {state}", properties={})
