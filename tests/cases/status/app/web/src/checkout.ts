import { Tracker as PlanTracker } from "./tracking/tracking-plan";
import { track as amplitudeTrack } from "@amplitude/analytics-browser";

declare const analytics: { track(name: string, properties?: object): void };
const CART_EVENT = "Cart Viewed";

export class CheckoutPage {
  private readonly events: PlanTracker; // a field typed by an import alias

  constructor(tracker: PlanTracker) {
    this.events = tracker;
  }

  paid(orderId: string): void {
    this.events.orderCompleted({
      order_id: orderId,
      currency: "EUR",
    });
  }

  showCart(): void {
    analytics.track(CART_EVENT, {}); // deprecated, named through a constant
  }

  startCheckout(): void {
    amplitudeTrack("Checkout Started");
  }

  coupon(code: string): void {
    analytics.track(`Coupon ${code}`, {}); // computed: listed, never guessed
  }
}
