"""Operation summaries in the contract's words, for a CRUD resource."""

from drf_spectacular.utils import extend_schema, extend_schema_view


def described(enkelvoud: str, meervoud: str):
    texts = {
        "list": f"Alle {meervoud} opvragen.",
        "retrieve": f"Een specifiek {enkelvoud} opvragen.",
        "create": f"Maak een {enkelvoud} aan.",
        "update": f"Werk een {enkelvoud} in zijn geheel bij.",
        "partial_update": f"Werk een {enkelvoud} deels bij.",
        "destroy": f"Verwijder een {enkelvoud}.",
    }
    return extend_schema_view(
        **{action: extend_schema(summary=text, description=text) for action, text in texts.items()}
    )
