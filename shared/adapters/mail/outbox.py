"""The embedded default: each message is written as an .eml file into a directory
(AIA_DATA_DIR/outbox), atomically (temporary file, then rename). The file name comes from
the idempotency key, so writing the same message again replaces it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from shared.email.delivery import OutgoingMail, TransientDeliveryError


class OutboxMailer:
    name = "outbox"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, mail: OutgoingMail) -> Path:
        return self.directory / f"{mail.email_type}-{mail.key[:24]}.eml"

    def deliver(self, mail: OutgoingMail) -> str:
        target = self.path_for(mail)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(mail.as_bytes())
            os.replace(temporary, target)
        except OSError as exc:
            raise TransientDeliveryError(f"outbox write failed: {exc}") from exc
        return target.name

    def close(self) -> None:
        return None
