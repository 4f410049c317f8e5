"""Email: eight typed email types rendered from packaged templates, role senders on
PRIMARY_DOMAIN, an idempotent send step with suppression and per-category preferences,
RFC 8058 one-click unsubscribe, and the journeys (Cloud Workflows) that send them."""
