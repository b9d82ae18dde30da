"""Django's PostgreSQL backend with adjustments for a busy API.

- The health check (`CONN_HEALTH_CHECKS`) runs a `SELECT 1` at the start of every request
  that uses a persistent connection. Here it runs only when the connection has been idle for
  more than `HEALTH_CHECK_IDLE_SECONDS`: a connection that served a request just before is
  known to work (a request whose queries fail closes its connection when it ends).
- Prepared statements: psycopg's statement cache is enabled for explicit preparation only.
  Prepared are the statements whose plans do not depend on their parameters: the reference
  lookups and page renderings by key (klantinteracties/api/lookups.py, sqljson.py), the
  compiled list statements of a shape with a selective filter such as a uuid or a BSN
  (keystatements.py), and Django's single-row INSERTs (below). An INSERT of a wide row costs
  PostgreSQL more to parse and plan than to execute; prepared, a write costs about a third
  less database time. Other statements are not prepared, and PostgreSQL plans them for their
  values (`plan_cache_mode` stays `auto`): a generic plan for, say, `codeSoortObjectId=rsin`
  walks a million klantcontacten to find none, where a plan for the value takes milliseconds.
  Preparing needs server-side binding (`server_side_binding`, set in klantinteracties/db.py).
  `DB_PREPARED_STATEMENTS=0` prepares nothing (for a connection pooler that cannot keep
  prepared statements per server connection).
- A single-row INSERT's statement text is built once per table and column list
  (compiler.py).
- A statement's conversion to PostgreSQL's form (its `%(name)s` placeholders to `$n`) is
  cached per text (`_Query`). psycopg caches it only for texts of at most 4096 bytes; a
  compiled page statement is longer (with `expand`, or with the page's processing record,
  6-10 kB), and psycopg scans it with a regular expression at every execution: 0.3-0.9 ms
  of a worker's CPU per request.
"""

import functools
import time

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base, operations

# psycopg's query conversion, for the texts it does not cache itself. The module is private:
# tests/platform/test_query_cache.py fails when an upgrade changes what is used here.
from psycopg import _queries

HEALTH_CHECK_IDLE_SECONDS = 1.0
# psycopg prepares a statement automatically after this many executions: never, in practice.
EXPLICIT_PREPARE_ONLY = 2**31 - 1
# An INSERT with more values than this (a bulk_create of many rows) is run unprepared: its
# text is seldom repeated.
PREPARED_INSERT_MAX_PARAMS = 128


# Statements with more parameters (a bulk INSERT of many rows) are seldom repeated: not kept.
CACHED_QUERY_MAX_PARAMS = 64
_convert_long = functools.lru_cache(maxsize=256)(_queries._query2pg_nocache)


class _Query(_queries.PostgresQuery):
    """psycopg's conversion of a statement and its parameters, with the conversion of a
    long text (a compiled page statement) kept for its next execution."""

    __slots__ = ()

    def convert(self, query, vars):
        if (
            vars is None
            or not isinstance(query, str | bytes)
            or len(vars) > CACHED_QUERY_MAX_PARAMS
            or len(query) <= _queries.MAX_CACHED_STATEMENT_LENGTH
        ):
            # psycopg's own path (which caches the short texts).
            return super().convert(query, vars)
        query = self._ensure_bytes(query)
        self.query, self._want_formats, self._order, self._parts = _convert_long(
            query, self._tx.encoding
        )
        self.dump(vars)


class Cursor(base.ServerBindingCursor):
    """Django's server-side binding cursor; an INSERT of a single row is prepared."""

    _query_cls = _Query

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if (
            prepare is None
            and params
            and len(params) <= PREPARED_INSERT_MAX_PARAMS
            and isinstance(query, str)
            and query.startswith("INSERT INTO ")
        ):
            prepare = True
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    # A single-row INSERT reuses its statement text (compiler.py).
    compiler_module = "klantinteracties.db_backend.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    _last_healthy = 0.0

    def get_connection_params(self):
        params = super().get_connection_params()
        if not settings.DB_PREPARED_STATEMENTS:
            params["prepare_threshold"] = None  # psycopg then prepares nothing at all
        elif params.get("prepare_threshold") is None:
            params["prepare_threshold"] = EXPLICIT_PREPARE_ONLY
        if self.features.uses_server_side_binding:
            params["cursor_factory"] = Cursor
        return params

    def init_connection_state(self):
        super().init_connection_state()
        self._last_healthy = time.monotonic()

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and time.monotonic() - self._last_healthy < HEALTH_CHECK_IDLE_SECONDS
        ):
            self.health_check_done = True
        super().close_if_health_check_failed()
        if self.connection is not None:
            self._last_healthy = time.monotonic()


class PreparedCursor(psycopg.Cursor):
    """Server-side binding, and every statement prepared once per connection.

    A compiled page statement is large (a subquery per reference list and expansion): its
    planning costs more than its execution, so it is prepared on first use and executed by
    name after that.
    """

    _query_cls = _Query

    def execute(self, query, params=None, *, prepare=None, binary=None):
        super().execute(query, params, prepare=True, binary=binary)
        if self._query is None:
            # A prepared statement runs by name: Django's query log reads the statement with
            # its values from here (last_executed_query), built only when read.
            self._query = _LoggedStatement(self.connection, query, params)
        return self


class _LoggedStatement:
    def __init__(self, connection, query, params):
        self._connection, self._query, self._params = connection, query, params

    @property
    def query(self) -> bytes:
        statement = psycopg.ClientCursor(self._connection).mogrify(self._query, self._params)
        return statement.encode()


def prepared_cursor(connection):
    """A cursor whose statements are prepared, through Django's wrapper (logged, counted).

    Opened as Django opens its own cursors: the connection's health check first.
    """
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    # Unprepared after all when the connection's prepare_threshold is None
    # (DB_PREPARED_STATEMENTS=0).
    return connection._prepare_cursor(PreparedCursor(connection.connection))


def cursor_for(connection, prepared: bool):
    """`prepared_cursor`, or Django's own cursor (unprepared: planned for its values)."""
    return prepared_cursor(connection) if prepared else connection.cursor()
