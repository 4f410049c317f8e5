"""AIA System core: domain logic, ports, and the adapters that bind them to GCP or to
embedded stand-ins. Importable and testable with no cloud at all."""

__version__ = "0.2.0"
