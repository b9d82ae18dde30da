"""The klantcontacten register's parts of the SQL-rendered lists (klantinteracties/api/sqljson.py)."""

from klantinteracties.api import sqljson

from .models import Betrokkene

sqljson.PROPERTIES[(Betrokkene, "volledige_naam")] = sqljson.volledige_naam
