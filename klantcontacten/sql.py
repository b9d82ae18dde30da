"""The klantcontacten register's parts of the SQL-rendered lists (klantinteracties/api/sqljson.py)."""

from klantinteracties.api import sqljson

from .models import Betrokkene, Klantcontact, Onderwerpobject

sqljson.PROPERTIES[(Betrokkene, "volledige_naam")] = sqljson.volledige_naam


def _vervolg_klantcontacten(compiler, alias):
    # The klantcontacten of the onderwerpobjecten that name this one as wasKlantcontact.
    return sqljson.through(compiler, alias, Onderwerpobject, "was_klantcontact", "klantcontact")


sqljson.RELATIONS[(Klantcontact, "vervolg_klantcontacten")] = _vervolg_klantcontacten
