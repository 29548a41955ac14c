"""Structured logging: one JSON object per line."""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else passed through `extra=` is an event field.
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class NotRefusals(logging.Filter):
    """Drops Django's own line for a 403 response (``django.request`` and ``django.security.csrf``
    give ``status_code``): the 403 and CSRF failure views log each refusal as a security event."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 403
