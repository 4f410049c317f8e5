from shared.wiring.manifest import Function, Manifest, Schedule, Topic, load_manifest

__all__ = ["Function", "Manifest", "Schedule", "Topic", "load_manifest"]
