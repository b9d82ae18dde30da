"""`icontains` on a column with a trigram index of its upper-cased value (pg_trgm)."""

import re

from django.db.models.lookups import IContains

# pg_trgm looks a LIKE pattern up by the trigrams of its words (letters and digits): a value
# with three of them in a row always has one.
_HAS_TRIGRAM = re.compile(r"[^\W_]{3}")


class TrigramIContains(IContains):
    """`icontains`, served by the column's trigram index where that pays.

    A value without three letters or digits in a row gives the index nothing to look up:
    PostgreSQL would read all of it, slower than reading the table (at a million digitale
    adressen 0.4 s against 0.13 s). Such a value is compared through an expression the index
    does not cover, with the same result."""

    def process_lhs(self, compiler, connection, lhs=None):
        sql, params = super().process_lhs(compiler, connection, lhs)
        if isinstance(self.rhs, str) and not _HAS_TRIGRAM.search(self.rhs):
            sql = f"({sql} || '')"
        return sql, params
