#!/usr/bin/env python3
"""Load every table and index of the public schema into PostgreSQL's buffer cache.

A production server runs with a warm cache; a benchmark cluster that has just been started
would measure the disk for its first minutes on the larger data sets.
    prewarm.py DSN
"""

import sys

import psycopg

with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
    pages = conn.execute(
        "SELECT sum(pg_prewarm(c.oid)) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')"
    ).fetchone()[0]
    setting = conn.execute("SHOW shared_buffers").fetchone()[0]
    print(f"prewarmed {pages} pages (shared_buffers {setting})")
