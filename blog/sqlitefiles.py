"""Small SQLite files in the instance folder that every worker of a host
shares (rate-limit counters, the last copies of pages): one connection per
thread and per process, because sqlite3 connections must stay in their
thread and must never cross a fork."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path


class SharedFile:
    def __init__(self, path: str, *setup: str) -> None:
        self.path = path
        self.setup = setup  # PRAGMAs and CREATE TABLE IF NOT EXISTS, per connection
        self.local = threading.local()

    def connection(self) -> sqlite3.Connection:
        if getattr(self.local, "pid", None) != os.getpid():
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            opened = sqlite3.connect(self.path, isolation_level=None)
            for statement in self.setup:
                opened.execute(statement)
            self.local.connection, self.local.pid = opened, os.getpid()
        connection: sqlite3.Connection = self.local.connection
        return connection
