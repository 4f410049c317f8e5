"""The knowledge graph: registries of technologies, skills, roles, learning resources
and sectors, compiled into an in-memory index for compatibility scoring, learning
pathways, pitfall detection and graph lookups. See docs/decisions/0007."""
