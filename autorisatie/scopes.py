"""The scopes an application can have: reading and writing per register, and confidentiality.

A register is one of the apps that hold the API's resources; a view's register is the app
label of its model (`partijen`, `klantcontacten`, `taken`, `contactgegevens`).
"""

REGISTERS = ("partijen", "klantcontacten", "taken", "contactgegevens")
LEZEN, SCHRIJVEN = "lezen", "schrijven"
# Klantcontacten with `vertrouwelijk: true`, and what hangs off them (autorisatie.vertrouwelijk).
VERTROUWELIJK = "klantcontacten.vertrouwelijk"

# The processing log (GET /verwerkingen) and the audit trails of objects: for a privacy
# officer's application (logboek).
VERWERKINGEN_LEZEN = "verwerkingen.lezen"
AUDITTRAILS_LEZEN = "audittrails.lezen"
# Everything about one partij in one document, for a citizen's inzage request (regie).
INZAGE_LEZEN = "inzage.lezen"
# Merging duplicate partijen into one (regie.samenvoegen, docs/regie.md).
PARTIJEN_SAMENVOEGEN = "partijen.samenvoegen"
# Erasing a partij's personal data (regie.vergeten, docs/regie.md).
PARTIJEN_VERGETEN = "partijen.vergeten"
# CloudEvents webhook subscriptions, `/abonnementen` (gebeurtenissen, docs/events.md).
ABONNEMENTEN_BEHEREN = "abonnementen.beheren"

SCOPES = [
    *(f"{register}.{access}" for register in REGISTERS for access in (LEZEN, SCHRIJVEN)),
    VERTROUWELIJK,
    VERWERKINGEN_LEZEN,
    AUDITTRAILS_LEZEN,
    INZAGE_LEZEN,
    ABONNEMENTEN_BEHEREN,
    PARTIJEN_SAMENVOEGEN,
    PARTIJEN_VERGETEN,
]
SCOPE_CHOICES = [(scope, scope) for scope in SCOPES]


def scope_for(register: str, method: str) -> str:
    """The scope a request with `method` on `register` needs."""
    access = LEZEN if method in ("GET", "HEAD", "OPTIONS") else SCHRIJVEN
    return f"{register}.{access}"
