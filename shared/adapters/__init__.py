"""Adapters bind the ports to real systems: `local` (embedded, for `make run` and
tests), `gcp` (Google Cloud client libraries), `http` (Flask), `sql` (SQLAlchemy)."""
