"""`tracking-plan collect`: a local collector that speaks the ingestion APIs of Segment, RudderStack, Amplitude
and GA4, judges every event on arrival with the plan's checks, and shows it live."""
