#!/usr/bin/env python3
"""Print the libpq DSN of the project's database (EMBEDDED_PGDATA or DATABASE_URL apply)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantinteracties.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

s = connection.settings_dict
port = f"&port={s['PORT']}" if s["PORT"] else ""
print(f"postgresql://{s['USER']}@/{s['NAME']}?host={s['HOST']}{port}")
