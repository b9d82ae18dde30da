"""Django's PostgreSQL compilers; the statement text of a single-row INSERT is kept.

Every create of the API inserts one row of a model with the same columns each time, yet
Django assembles the statement anew for each: quoted names, a placeholder per value (each
value inspected for being an expression), the RETURNING clause. Here the text is built once
per table, column list, column defaults and RETURNING columns; each INSERT only prepares its
values, as Django does. Anything else (several rows, ON CONFLICT, an expression other than
the column default, a field with its own placeholder) is compiled by Django as usual.
"""

from django.db.backends.postgresql import compiler
from django.db.models.expressions import DatabaseDefault

SQLCompiler = compiler.SQLCompiler
SQLDeleteCompiler = compiler.SQLDeleteCompiler
SQLUpdateCompiler = compiler.SQLUpdateCompiler
SQLAggregateCompiler = compiler.SQLAggregateCompiler

# (table, columns, which take the column default, RETURNING columns) -> (sql, returning params)
_statements: dict[tuple, tuple[str, tuple]] = {}
_MAX_STATEMENTS = 512


class SQLInsertCompiler(compiler.SQLInsertCompiler):
    def as_sql(self):
        query = self.query
        if len(query.objs) != 1 or not query.fields or query.on_conflict:
            return super().as_sql()
        fields = query.fields
        obj = query.objs[0]
        defaults = []
        for field in fields:
            if hasattr(field, "get_placeholder"):
                return super().as_sql()
            value = getattr(obj, field.attname)
            is_default = isinstance(value, DatabaseDefault)
            if not is_default and hasattr(value, "resolve_expression"):
                return super().as_sql()
            defaults.append(is_default)

        returning = self.returning_fields or ()
        if returning and not self.connection.features.can_return_columns_from_insert:
            return super().as_sql()
        opts = query.get_meta()
        key = (
            opts.db_table,
            tuple(field.column for field in fields),
            tuple(defaults),
            tuple((field.model._meta.db_table, field.column) for field in returning),
        )
        statement = _statements.get(key)
        if statement is None:
            statement = self._statement(opts, fields, defaults, returning)
            if len(_statements) >= _MAX_STATEMENTS:
                _statements.clear()
            _statements[key] = statement
        sql, self.returning_params = statement

        raw = query.raw
        params = [
            self.prepare_value(
                field, getattr(obj, field.attname) if raw else field.pre_save(obj, True)
            )
            for field, is_default in zip(fields, defaults, strict=True)
            if not is_default
        ]
        params.extend(self.returning_params)
        return [(sql, tuple(params))]

    def _statement(self, opts, fields, defaults, returning) -> tuple[str, tuple]:
        qn = self.connection.ops.quote_name
        columns = ", ".join(qn(field.column) for field in fields)
        values = ", ".join("DEFAULT" if is_default else "%s" for is_default in defaults)
        insert = self.connection.ops.insert_statement(on_conflict=None)
        sql = f"{insert} {qn(opts.db_table)} ({columns}) VALUES ({values})"
        returning_params = ()
        if returning:
            returning_sql, returning_params = self.connection.ops.return_insert_columns(returning)
            if returning_sql:
                sql = f"{sql} {returning_sql}"
        return sql, tuple(returning_params)
