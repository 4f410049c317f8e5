"""Operating the platform itself: housekeeping and the dead-letter record."""
