"""`aia`: the platform's command line (`aia serve` runs everything locally)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.settings import Settings


def _settings() -> Settings:
    # imported on use: pydantic-settings costs ~70 ms of start-up that `aia simulate`
    # and the other commands without settings do not need
    from shared.settings import Settings

    return Settings()


def _configure_logging(settings: Settings) -> None:
    # imported on use, like the settings: `aia simulate` logs nothing
    from shared.observability.logging import configure_logging

    configure_logging(settings.log_level, settings.gcp_project)


def _repo_root() -> Path:
    return Path.cwd()


def serve(args: argparse.Namespace) -> int:
    import os

    from shared.adapters.local.backup import DataDirInUse
    from shared.runtime.local import LocalRuntime, point_links_here

    point_links_here(os.environ, args.host, args.port or _settings().port)
    settings = _settings()
    _configure_logging(settings)
    runtime = LocalRuntime(settings, Path(args.root))
    try:
        runtime.serve(host=args.host, port=args.port)
    except DataDirInUse as exc:  # two servers would write the same files
        print(f"aia serve: {exc}", file=sys.stderr)
        return 1
    return 0


def publish(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from shared.bootstrap import build_platform
    from shared.events.catalog import load_event_types
    from shared.events.envelope import new_event
    from shared.events.registry import REGISTRY, UnknownEventType

    load_event_types()
    try:
        model = REGISTRY.model_for(args.type, args.version)
        data = model.model_validate_json(args.data)
    except UnknownEventType as exc:
        print(f"aia publish: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"]) or "data"
        print(f"aia publish: {field}: {first['msg']}", file=sys.stderr)
        return 2
    settings = _settings()
    platform = build_platform(settings)
    event = new_event(data, source="cli")
    platform.events.publish(event)
    print(event.id)
    return 0


def migrate(args: argparse.Namespace) -> int:
    """Bring the SQL schema to the latest revision (run by the pipeline before deploys)."""
    from sqlalchemy import create_engine

    from shared.adapters.sql.migrate import NotAfterPreviousRelease
    from shared.adapters.sql.migrate import migrate as upgrade
    from shared.adapters.sql.releases import PREVIOUS_RELEASE

    settings = _settings()
    _configure_logging(settings)
    engine = create_engine(args.url or settings.sqlalchemy_url)
    previous = PREVIOUS_RELEASE if args.after_previous_release else None
    try:
        upgrade(engine, args.revision, previous_release=previous)
    except NotAfterPreviousRelease as exc:
        print(f"aia migrate: refused: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def backup(args: argparse.Namespace) -> int:
    """One archive of `make run`'s data dir, consistent even while the server runs."""
    import time

    from shared.adapters.local.backup import BusyDataDir
    from shared.adapters.local.backup import backup as write_backup

    settings = _settings()
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    archive = Path(args.out or f"aia-backup-{stamp}.tar.gz")
    started = time.perf_counter()
    try:
        manifest = write_backup(settings.data_dir, archive)
    except (FileNotFoundError, BusyDataDir) as exc:
        print(f"aia backup: {exc}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    size = sum(f.bytes for f in manifest.files)
    print(f"{archive}: {len(manifest.files)} files, {size} bytes, {seconds:.2f} s")
    return 0


def restore(args: argparse.Namespace) -> int:
    """Refill `make run`'s data dir from an `aia backup` archive (server stopped)."""
    import time

    from shared.adapters.local.backup import CorruptBackup, DataDirInUse
    from shared.adapters.local.backup import restore as unpack

    settings = _settings()
    started = time.perf_counter()
    try:
        manifest = unpack(Path(args.archive), settings.data_dir, replace=args.replace)
    except (DataDirInUse, CorruptBackup, FileExistsError, FileNotFoundError) as exc:
        print(f"aia restore: {exc}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"{settings.data_dir}: {len(manifest.files)} files from the backup of "
        f"{manifest.created}, {seconds:.2f} s"
    )
    return 0


def stripe_webhook(args: argparse.Namespace) -> int:
    """Send the local server a signed `checkout.session.completed` for a user, as Stripe
    would after a payment (STRIPE_WEBHOOK_SECRET must match the server's)."""
    import time
    import urllib.error
    import urllib.request
    import uuid

    from shared.adapters.stripe.gateway import signature_header

    secret = os.environ.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        print("set STRIPE_WEBHOOK_SECRET (the same value the server runs with)", file=sys.stderr)
        return 2
    intent = f"pi_local_{uuid.uuid4().hex[:12]}"
    payload = json.dumps(
        {
            "id": f"evt_local_{uuid.uuid4().hex}",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": args.session_id or f"cs_local_{uuid.uuid4().hex}",
                    "object": "checkout.session",
                    "client_reference_id": args.user_id,
                    "metadata": {"aia_amount": args.aia},
                    "payment_status": "paid",
                    "payment_intent": intent,
                }
            },
        }
    )
    url = f"{(args.url or local_url()).rstrip('/')}/v1/payments/stripe/webhook"
    request = urllib.request.Request(  # noqa: S310 - the operator's own server URL
        url,
        data=payload.encode(),
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": signature_header(payload, secret, int(time.time())),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            print(response.read().decode())
    except urllib.error.HTTPError as exc:  # the server answered: say what it said
        detail = _problem_detail(exc.read())
        print(f"aia stripe-webhook: the server answered {exc.code}: {detail}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        print(
            f"aia stripe-webhook: cannot reach {url} ({reason}); is `make run` up on that port?",
            file=sys.stderr,
        )
        return 1
    return 0


def _problem_detail(body: bytes) -> str:
    """The `detail` of a problem+json answer, else its first line of text."""
    text = body.decode(errors="replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("detail"), str):
        return str(parsed["detail"])
    lines = text.strip().splitlines()
    return lines[0][:200] if lines else "(no body)"


def local_url() -> str:
    """The local server `make run` and `aia serve` start: http://127.0.0.1:$PORT."""
    return f"http://127.0.0.1:{os.environ.get('PORT') or 8080}"


def mail(args: argparse.Namespace) -> int:
    """Print the newest emails `make run` wrote to its local outbox (links intact), e.g.
    the welcome email with its verification link."""
    from email import policy
    from email.parser import BytesParser

    settings = _settings()
    outbox = settings.mail_outbox_dir or settings.data_dir / "outbox"
    found = []
    for path in sorted(outbox.glob("**/*.eml"), key=lambda p: p.stat().st_mtime):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if args.to is None or args.to.lower() in str(message["To"]).lower():
            found.append(message)
    if not found:
        print(f"no mail{' to ' + args.to if args.to else ''} in {outbox}", file=sys.stderr)
        return 1
    texts = []
    for message in found:
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        # mail bodies end lines with CRLF: a \r left on a link breaks `grep -o ... | cut`
        texts.append(text.replace("\r\n", "\n"))
    if args.token:
        return _print_link_token(texts, args.token, args.to)
    for message, text in list(zip(found, texts, strict=True))[-args.last :]:
        print(f"From: {message['From']}\nTo: {message['To']}\nSubject: {message['Subject']}\n")
        print(text.strip(), end="\n\n")
    return 0


def _print_link_token(texts: list[str], page: str, to: str | None) -> int:
    """The `token` of the newest link to `page` (verify-email, reset-password), alone on
    its line: what a script needs, with nothing to cut or trim."""
    from urllib.parse import parse_qs, urlsplit

    path = "/" + page.strip("/")
    for text in reversed(texts):
        for url in reversed(re.findall(r"https?://[^\s<>\"')]+", text)):
            link = urlsplit(url)
            tokens = parse_qs(link.query).get("token")
            if link.path == path and tokens:
                print(tokens[0])
                return 0
    print(f"aia mail: no link to {path} in mail{' to ' + to if to else ''}", file=sys.stderr)
    return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aia", description="AIA System command line")
    sub = parser.add_subparsers(dest="command", required=True)

    p_serve = sub.add_parser("serve", help="run every function locally on embedded backends")
    p_serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    p_serve.add_argument("--port", type=int, default=None, help="default: $PORT or 8080")
    p_serve.add_argument("--root", default=str(_repo_root()), help="repository root")
    p_serve.set_defaults(func=serve)

    p_pub = sub.add_parser("publish", help="publish one event to the local bus")
    p_pub.add_argument("type", help="event type, e.g. tech.013a.maintenance.purge.requested")
    p_pub.add_argument("data", help="JSON payload")
    p_pub.add_argument("--version", type=int, default=1, help="event data version (default 1)")
    p_pub.set_defaults(func=publish)

    p_migrate = sub.add_parser("migrate", help="upgrade the SQL schema (Alembic)")
    p_migrate.add_argument("--url", default=None, help="default: AIA_DATABASE_URL or embedded")
    p_migrate.add_argument("--revision", default="head", help="target revision (default head)")
    p_migrate.add_argument(
        "--after-previous-release",
        action="store_true",
        help="refuse a database that is not empty and not at or after PREVIOUS_RELEASE "
        "(the deploy's aia-migrate job)",
    )
    p_migrate.set_defaults(func=migrate)

    p_backup = sub.add_parser(
        "backup", help="archive the local data dir (AIA_DATA_DIR), also while serving"
    )
    p_backup.add_argument(
        "--out", default=None, help="archive path (default: aia-backup-<UTC time>.tar.gz)"
    )
    p_backup.set_defaults(func=backup)

    p_restore = sub.add_parser(
        "restore", help="refill the local data dir from an `aia backup` archive"
    )
    p_restore.add_argument("archive", help="the .tar.gz `aia backup` wrote")
    p_restore.add_argument(
        "--replace",
        action="store_true",
        help="move a data dir that holds data aside (<dir>.replaced-<time>) instead of refusing",
    )
    p_restore.set_defaults(func=restore)

    from shared.simulation.cli import add_simulate_parser

    add_simulate_parser(sub)

    p_hook = sub.add_parser("stripe-webhook", help="simulate a paid Stripe checkout locally")
    p_hook.add_argument("--user-id", required=True, help="the account to credit (GET /v1/me)")
    p_hook.add_argument("--aia", default="1000", help="AIA to credit (default 1000)")
    p_hook.add_argument(
        "--url", default=None, help="the local server (default: http://127.0.0.1:$PORT, 8080)"
    )
    p_hook.add_argument(
        "--session-id",
        default=None,
        help="the Checkout session paid (the id in /wallet/buy/return?session_id=...); "
        "default: a new one",
    )
    p_hook.set_defaults(func=stripe_webhook)

    p_mail = sub.add_parser("mail", help="show the newest emails in the local outbox")
    p_mail.add_argument("--to", default=None, help="only mail to this address")
    p_mail.add_argument("--last", type=int, default=1, help="how many (default 1)")
    p_mail.add_argument(
        "--token",
        metavar="PAGE",
        default=None,
        help="print only the token of the newest link to PAGE (verify-email, reset-password)",
    )
    p_mail.set_defaults(func=mail)

    return parser


def main(argv: list[str] | None = None) -> int:
    from shared.runtime.allocator import keep_freed_memory

    args = build_parser().parse_args(argv)
    keep_freed_memory()  # `aia simulate`'s months reuse their pages
    try:
        result: int = args.func(args)
    except BrokenPipeError:  # `aia compare ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"aia {args.command}: interrupted", file=sys.stderr)
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
