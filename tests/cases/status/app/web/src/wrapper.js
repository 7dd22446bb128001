// A wrapper in another file (JavaScript): its callers are the sightings.
export function trackEvent(name, properties) {
  window.analytics.track(name, properties);
}
