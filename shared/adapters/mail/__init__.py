"""Email delivery adapters (the only email code doing network or file I/O): a local
outbox of .eml files, SMTP, SendGrid's v3 Mail Send API, and the Gmail API with
per-sender delegation; `build.build_router` picks them from settings."""
