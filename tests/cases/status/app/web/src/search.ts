import { Tracker } from "./tracking/tracking-plan";
import { getAnalytics, logEvent } from "firebase/analytics";
import { trackEvent } from "./wrapper";

const tracker = new Tracker({ transport: { track: () => {}, identify: () => {} } });
const t = tracker; // an alias of the tracker

export function viewed(id: string): void {
  t.productViewed({ product_id: id });
}

export function searched(query: string): void {
  trackEvent("Search Performed", { query, sort: "price" }); // through a wrapper, with a key the plan lacks
  trackEvent("Newsletter Joined", {}); // not in the plan
}

export function paid(): void {
  logEvent(getAnalytics(), "order_completed", { order_id: "A-1", currency: "EUR" }); // Firebase's name
}
