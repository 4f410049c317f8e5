"""`aia`: the platform's command line (`aia serve` runs everything locally)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shared.observability.logging import configure_logging
from shared.settings import Settings


def _repo_root() -> Path:
    return Path.cwd()


def serve(args: argparse.Namespace) -> int:
    from shared.runtime.local import LocalRuntime

    settings = Settings()
    configure_logging(settings.log_level, settings.gcp_project)
    runtime = LocalRuntime(settings, Path(args.root))
    runtime.serve(host=args.host, port=args.port)
    return 0


def publish(args: argparse.Namespace) -> int:
    from shared.bootstrap import build_platform
    from shared.events.catalog import load_event_types
    from shared.events.envelope import new_event
    from shared.events.registry import REGISTRY

    load_event_types()
    settings = Settings()
    platform = build_platform(settings)
    model = REGISTRY.model_for(args.type, args.version)
    event = new_event(model.model_validate(json.loads(args.data)), source="cli")
    platform.events.publish(event)
    print(event.id)
    return 0


def migrate(args: argparse.Namespace) -> int:
    """Bring the SQL schema to the latest revision (run by the pipeline before deploys)."""
    from sqlalchemy import create_engine

    from shared.adapters.sql.migrate import migrate as upgrade

    settings = Settings()
    configure_logging(settings.log_level, settings.gcp_project)
    engine = create_engine(args.url or settings.sqlalchemy_url)
    upgrade(engine, args.revision)
    engine.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="aia", description="AIA System command line")
    sub = parser.add_subparsers(dest="command", required=True)

    p_serve = sub.add_parser("serve", help="run every function locally on embedded backends")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=None, help="default: $PORT or 8080")
    p_serve.add_argument("--root", default=str(_repo_root()), help="repository root")
    p_serve.set_defaults(func=serve)

    p_pub = sub.add_parser("publish", help="publish one event to the local bus")
    p_pub.add_argument("type")
    p_pub.add_argument("data", help="JSON payload")
    p_pub.add_argument("--version", type=int, default=1)
    p_pub.set_defaults(func=publish)

    p_migrate = sub.add_parser("migrate", help="upgrade the SQL schema (Alembic)")
    p_migrate.add_argument("--url", default=None, help="default: AIA_DATABASE_URL or embedded")
    p_migrate.add_argument("--revision", default="head")
    p_migrate.set_defaults(func=migrate)

    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
