"""The archive's tables, its stored schema version (``PRAGMA user_version``) and the migrations.

An older archive is migrated in place, in one transaction, never dropped: each step of
``MIGRATIONS`` takes version n to n + 1. ``V1_TABLES`` is the first released layout, kept verbatim
so tests (and the migration) can build and read an archive of the previous schema.

Version 2 (current):
- ``runs``: one row per run (consolidate or import): period, times, settings and counts as JSON.
- ``files``: every workbook content seen, by SHA-256; ``first_seen`` is the received date.
- ``items``: the distinct (annex, row code, column) of values: values refer to them by id.
- ``submissions``: one row per (unit, period, file): which run accepted it, and, once a newer file
  of the unit replaced it, ``superseded_by`` (that file) and ``superseded_at``. At most one current
  (not superseded) submission per unit and period (a partial unique index).
- ``vals``: (submission, item) → cell and value (SQLite keeps the number or text as given).
- the view ``v_values`` shows them joined: unit, period, annex, row, column, value, file hash and
  name, cell, run, superseded_by (file hash) and superseded_at.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 2

#: Version 1: one denormalized table of values; a resubmission deleted the unit's older values.
V1_TABLES = """
CREATE TABLE runs (id INTEGER PRIMARY KEY, period TEXT NOT NULL, started TEXT NOT NULL,
                   settings TEXT, counts TEXT);
CREATE TABLE files (sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, first_seen TEXT NOT NULL);
CREATE TABLE vals (unit_code TEXT NOT NULL, period TEXT NOT NULL, annex TEXT NOT NULL,
                   row_code TEXT NOT NULL, col TEXT NOT NULL, value, file_sha256 TEXT NOT NULL,
                   cell TEXT, run_id INTEGER NOT NULL);
CREATE INDEX vals_unit_period ON vals (unit_code, period);
"""

V2_TABLES = """
CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL DEFAULT 'consolidate',
                   period TEXT NOT NULL, started TEXT NOT NULL, finished TEXT,
                   settings TEXT, counts TEXT, tool_version TEXT);
CREATE TABLE files (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                    size INTEGER, first_seen TEXT NOT NULL, first_run INTEGER REFERENCES runs(id));
CREATE TABLE items (id INTEGER PRIMARY KEY, annex TEXT NOT NULL, row_code TEXT NOT NULL,
                    col TEXT NOT NULL, UNIQUE (annex, row_code, col));
CREATE TABLE submissions (id INTEGER PRIMARY KEY, unit_code TEXT NOT NULL, period TEXT NOT NULL,
                          file_id INTEGER NOT NULL REFERENCES files(id),
                          run_id INTEGER NOT NULL REFERENCES runs(id), accepted_at TEXT NOT NULL,
                          superseded_by INTEGER REFERENCES files(id), superseded_at TEXT,
                          UNIQUE (unit_code, period, file_id));
CREATE UNIQUE INDEX submissions_current ON submissions (period, unit_code)
    WHERE superseded_by IS NULL;
CREATE INDEX submissions_unit ON submissions (unit_code, period);
CREATE TABLE vals (submission_id INTEGER NOT NULL REFERENCES submissions(id),
                   item_id INTEGER NOT NULL REFERENCES items(id), cell TEXT, value,
                   PRIMARY KEY (submission_id, item_id)) WITHOUT ROWID;
CREATE VIEW v_values AS
    SELECT s.unit_code, s.period, i.annex, i.row_code, i.col AS "column", v.value,
           f.sha256 AS file_sha256, f.name AS file, v.cell, s.run_id,
           g.sha256 AS superseded_by, s.superseded_at
    FROM vals v JOIN submissions s ON s.id = v.submission_id JOIN items i ON i.id = v.item_id
    JOIN files f ON f.id = s.file_id LEFT JOIN files g ON g.id = s.superseded_by;
"""

_V2_VIEW = V2_TABLES[V2_TABLES.index("CREATE VIEW"):]
_V1_TO_V2 = V2_TABLES[:V2_TABLES.index("CREATE VIEW")].replace("CREATE TABLE runs (", "CREATE TABLE runs_v2 (") \
    .replace("CREATE TABLE files (", "CREATE TABLE files_v2 (") \
    .replace("CREATE TABLE vals (", "CREATE TABLE vals_v2 (") + """
INSERT INTO runs_v2 (id, kind, period, started, settings, counts)
    SELECT id, 'consolidate', period, started, settings, counts FROM runs;
INSERT INTO files_v2 (sha256, name, first_seen) SELECT sha256, name, first_seen FROM files
    ORDER BY first_seen, sha256;
INSERT INTO items (annex, row_code, col) SELECT DISTINCT annex, row_code, col FROM vals
    ORDER BY annex, row_code, col;
INSERT INTO submissions (unit_code, period, file_id, run_id, accepted_at)
    SELECT v.unit_code, v.period, f.id, MAX(v.run_id), MIN(r.started)
    FROM vals v JOIN files_v2 f ON f.sha256 = v.file_sha256 JOIN runs r ON r.id = v.run_id
    GROUP BY v.unit_code, v.period, f.id;
INSERT INTO vals_v2 (submission_id, item_id, cell, value)
    SELECT s.id, i.id, v.cell, v.value
    FROM vals v JOIN files_v2 f ON f.sha256 = v.file_sha256
    JOIN submissions s ON s.unit_code = v.unit_code AND s.period = v.period AND s.file_id = f.id
    JOIN items i ON i.annex = v.annex AND i.row_code = v.row_code AND i.col = v.col;
DROP TABLE vals;
DROP TABLE files;
DROP TABLE runs;
ALTER TABLE runs_v2 RENAME TO runs;
ALTER TABLE files_v2 RENAME TO files;
ALTER TABLE vals_v2 RENAME TO vals;
""" + _V2_VIEW

#: From version n (the key) to n + 1: SQL run in the migration's transaction.
MIGRATIONS: dict[int, str] = {1: _V1_TO_V2}


class ArchiveVersionError(Exception):
    """An archive written by a newer version of the tool (Vietnamese message)."""


def ensure_schema(conn: sqlite3.Connection) -> int:
    """Create the tables of a new archive or migrate an older one; returns the version found."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found == 0 and not conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
        with _transaction(conn):
            _script(conn, V2_TABLES)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return 0
    if found > SCHEMA_VERSION:
        raise ArchiveVersionError(
            f"Kho lưu trữ được ghi bởi phiên bản mới hơn của công cụ (lược đồ {found}, công cụ này "
            f"dùng lược đồ {SCHEMA_VERSION}). Hãy cập nhật công cụ.")
    if found < SCHEMA_VERSION:
        with _transaction(conn):
            for version in range(max(found, 1), SCHEMA_VERSION):
                _script(conn, MIGRATIONS[version])
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return found


def create_v1(conn: sqlite3.Connection) -> None:
    """An empty archive of schema version 1 (for tests and for documentation of the migration)."""
    with _transaction(conn):
        _script(conn, V1_TABLES)
        conn.execute("PRAGMA user_version = 1")


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run statements one by one inside the open transaction (``executescript`` would commit)."""
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


class _transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, *_exc) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
