"""Django's PostgreSQL backend with two adjustments for a busy API.

- The health check (`CONN_HEALTH_CHECKS`) runs a `SELECT 1` at the start of every request
  that uses a persistent connection. Here it runs only when the connection has been idle for
  more than `HEALTH_CHECK_IDLE_SECONDS`: a connection that served a request just before is
  known to work (a request whose queries fail closes its connection when it ends).
- Prepared statements: psycopg's statement cache is enabled for explicit preparation only
  (Django's own cursors bind client-side and never prepare), and prepared statements run with
  a generic plan. Only the compiled list statements (klantinteracties/api/sqljson.py) are
  prepared; their plans do not depend on their parameters.
"""

import time

from django.db.backends.postgresql import base

HEALTH_CHECK_IDLE_SECONDS = 1.0
# psycopg prepares a statement automatically after this many executions: never, in practice.
EXPLICIT_PREPARE_ONLY = 2**31 - 1


class DatabaseWrapper(base.DatabaseWrapper):
    _last_healthy = 0.0

    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("prepare_threshold") is None:
            params["prepare_threshold"] = EXPLICIT_PREPARE_ONLY
        return params

    def init_connection_state(self):
        super().init_connection_state()
        with self.connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
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
