import rudderstack.analytics as rudder_analytics
from amplitude import Amplitude, BaseEvent

client = Amplitude("API_KEY")


def send(event: str, properties: dict[str, object]) -> None:
    """A wrapper: its callers name the event."""
    rudder_analytics.track("u-1", event, properties)


def send_refund(event_name: str) -> None:
    """A wrapper of the wrapper."""
    send(event_name, {"order_id": "o-2"})


def refund() -> None:
    send_refund("Refund Issued")
    client.track(BaseEvent(event_type="Refund Issued", user_id="u-1", event_properties={"order_id": "o-3"}))
    client.track(BaseEvent("Refund Issued", user_id="u-1", event_properties={"order_id": "o-4", "reason": "late"}))
