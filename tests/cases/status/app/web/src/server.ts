import { Analytics } from "@segment/analytics-node";
import mixpanel from "mixpanel-browser";

const client = new Analytics({ writeKey: "WRITE_KEY" });

export function orderPaid(orderId: string): void {
  client.track({
    userId: "u-1",
    event: "Order Completed",
    properties: { order_id: orderId, currency: "EUR", coupon: "SPRING" },
  });
  mixpanel.track("Checkout Started", {});
}
