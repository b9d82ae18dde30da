"""Operation summaries in the contract's words, for a CRUD resource."""

from drf_spectacular.utils import extend_schema, extend_schema_view


def described(enkelvoud: str, meervoud: str, scope: str | None = None):
    """`scope`: for a view outside the registers (HeeftScopeVoor), the one scope it needs,
    named in every description (a register's scopes are added by the schema)."""
    texts = {
        "list": f"Alle {meervoud} opvragen.",
        "retrieve": f"Een specifiek {enkelvoud} opvragen.",
        "create": f"Maak een {enkelvoud} aan.",
        "update": f"Werk een {enkelvoud} in zijn geheel bij.",
        "partial_update": f"Werk een {enkelvoud} deels bij.",
        "destroy": f"Verwijder een {enkelvoud}.",
    }
    nodig = f"\n\n**Scope:** `{scope}`." if scope else ""
    return extend_schema_view(
        **{
            action: extend_schema(summary=text, description=text + nodig)
            for action, text in texts.items()
        }
    )
