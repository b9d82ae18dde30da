"""The kanalen as a Notificaties API knows them: their filters, and the page that documents
them (`/ref/kanalen/`, each kanaal's `documentatieLink`)."""

import re

from django.shortcuts import render

from .definities import ACTIES, KANALEN, ZAAK_GEKOPPELD, ZAAK_ONTKOPPELD

_CAPITAL = re.compile(r"(?<!^)(?=[A-Z])")


def filters(kanaal) -> list[str]:
    """The names of its kenmerken as a Notificaties API compares them: snake_case.

    Open Notificaties reads a notification's keys, those of `kenmerken` included, into
    snake_case (`interneNotitie` becomes `interne_notitie`) and refuses kenmerken that are
    neither a subset nor a superset of the kanaal's filters; the reference registers its own
    kanalen with snake_case filters for that reason.
    """
    return [_CAPITAL.sub("_", name).lower() for name, _ in kanaal.kenmerken]


def pagina(request):
    """`GET /ref/kanalen/`: every kanaal with its resource, kenmerken, actions and types."""
    kanalen = [
        {
            "naam": kanaal.naam,
            "omschrijving": kanaal.omschrijving,
            "resource": kanaal.resource,
            "referentie": kanaal.referentie,
            "kenmerken": [
                (name, ".".join(path), filter_)
                for (name, path), filter_ in zip(kanaal.kenmerken, filters(kanaal), strict=True)
            ],
            "typen": [kanaal.type(actie) for actie in ACTIES],
        }
        for kanaal in KANALEN
    ]
    context = {
        "kanalen": kanalen,
        "acties": ACTIES,
        "zaak_typen": [ZAAK_GEKOPPELD, ZAAK_ONTKOPPELD],
    }
    return render(request, "gebeurtenissen/kanalen.html", context)
