"""Google Cloud adapters for the ports, on the official client libraries.

These are the only modules that import `google.cloud`; `shared.bootstrap` imports them
only when a port is set to `gcp`. Each creates its client on first use (cold start),
and each honours a local stand-in for tests: Pub/Sub and Firestore through
`PUBSUB_EMULATOR_HOST` / `FIRESTORE_EMULATOR_HOST` (read by the clients), Secret
Manager and Cloud Tasks through an explicit endpoint (see `shared.settings`)."""
