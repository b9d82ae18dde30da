"""`manage.py register_kanalen` against a real HTTP server that plays a Notificaties API's
`/kanaal`, and the `/ref/kanalen/` page its documentation links point to."""

import io
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.core.management import CommandError, call_command

from gebeurtenissen import definities

pytestmark = pytest.mark.django_db

DOCS = "https://klantinteracties.example/ref/kanalen/"
GEHEIM = "jwt-geheim-van-de-notificaties-api"


class Notificaties:
    """`GET /api/v1/kanaal?naam=`, `POST /api/v1/kanaal`, `PUT /api/v1/kanaal/<uuid>`."""

    def __init__(self):
        self.kanalen: dict[str, dict] = {}
        self.requests: list[tuple[str, str, dict, dict | None]] = []
        self.weigeren: set[str] = set()
        notificaties = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status, body=None):
                raw = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _body(self):
                return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

            def do_GET(self):
                url = urlsplit(self.path)
                notificaties.requests.append(("GET", self.path, dict(self.headers), None))
                naam = parse_qs(url.query).get("naam", [None])[0]
                found = [k for k in notificaties.kanalen.values() if naam in (None, k["naam"])]
                self._answer(200, found)

            def do_POST(self):
                body = self._body()
                notificaties.requests.append(("POST", self.path, dict(self.headers), body))
                if body["naam"] in notificaties.weigeren:
                    return self._answer(500, {"detail": "stuk"})
                kanaal = {"url": f"{notificaties.root}kanaal/{uuid.uuid4()}", **body}
                notificaties.kanalen[body["naam"]] = kanaal
                self._answer(201, kanaal)

            def do_PUT(self):
                body = self._body()
                notificaties.requests.append(("PUT", self.path, dict(self.headers), body))
                [kanaal] = [
                    k for k in notificaties.kanalen.values() if k["url"].endswith(self.path)
                ]
                kanaal.update(body)
                self._answer(200, kanaal)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.server.server_address[:2]
        self.root = f"http://{host}:{port}/api/v1/"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def notificaties(settings):
    server = Notificaties()
    settings.NOTIFICATIES_API_URL = server.root.rstrip("/")  # the trailing / is added
    settings.NOTIFICATIES_API_CLIENT_ID = "klantinteracties"
    settings.NOTIFICATIES_API_SECRET = GEHEIM
    settings.KANALEN_DOCUMENTATIE_URL = DOCS
    yield server
    server.close()


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("register_kanalen", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_registers_every_kanaal(notificaties):
    out, err = run()

    namen = sorted(kanaal.naam for kanaal in definities.KANALEN)
    posts = [r for r in notificaties.requests if r[0] == "POST"]
    assert [body["naam"] for _, _, _, body in posts] == namen
    assert {path for _, path, _, _ in posts} == {"/api/v1/kanaal"}
    assert out.splitlines() == [f"Kanaal {naam}: aangemaakt." for naam in namen]
    assert err == ""
    kanalen = notificaties.kanalen
    assert kanalen["partijen"]["documentatieLink"] == f"{DOCS}#partijen"
    assert set(kanalen["partijen"]) == {"url", "naam", "documentatieLink", "filters"}
    # The reference's kanalen, with its filters.
    assert kanalen["partijen"]["filters"] == ["nummer", "interne_notitie", "soort_partij"]
    assert kanalen["internetaken"]["filters"] == [
        "nummer",
        "gevraagde_handeling",
        "toelichting",
        "status",
    ]
    assert kanalen["klantcontacten"]["filters"] == [
        "hoofd_onderwerp_type",
        "indicatie_contact_gelukt",
        "verdere_actie_ondernomen",
    ]
    # Ours, in the same form.
    assert kanalen["digitaleadressen"]["filters"] == ["soort_digitaal_adres", "is_standaard_adres"]
    assert kanalen["categorie-relaties"]["filters"] == ["categorie_naam"]
    assert kanalen["rekeningnummers"]["filters"] == []


def test_every_request_carries_the_jwt_of_the_settings(notificaties):
    run("--kanalen", "partijen")

    assert len(notificaties.requests) == 2
    for _, _, headers, _ in notificaties.requests:
        scheme, token = headers["Authorization"].split(" ")
        claims = jwt.decode(token, GEHEIM, algorithms=["HS256"])
        assert (scheme, claims["client_id"], claims["iss"]) == (
            "Bearer",
            "klantinteracties",
            "klantinteracties",
        )


def test_a_token_without_client_id(notificaties, settings):
    settings.NOTIFICATIES_API_CLIENT_ID = ""
    run("--kanalen", "partijen")
    assert {r[2]["Authorization"] for r in notificaties.requests} == {f"Token {GEHEIM}"}


def test_an_existing_kanaal_is_updated_not_duplicated(notificaties):
    run("--kanalen", "partijen,klantcontacten")
    url = notificaties.kanalen["partijen"]["url"]
    notificaties.kanalen["partijen"]["filters"] = ["verouderd"]
    notificaties.requests.clear()

    out, _ = run("--kanalen", " partijen ", "--documentatie-url", "https://elders.example/k/")

    assert [(method, path) for method, path, _, _ in notificaties.requests] == [
        ("GET", "/api/v1/kanaal?naam=partijen"),
        ("PUT", urlsplit(url).path),
    ]
    assert out == "Kanaal partijen: bijgewerkt.\n"
    assert notificaties.kanalen["partijen"] == {
        "url": url,
        "naam": "partijen",
        "documentatieLink": "https://elders.example/k/#partijen",
        "filters": ["nummer", "interne_notitie", "soort_partij"],
    }
    assert len(notificaties.kanalen) == 2


def test_a_failing_kanaal_is_reported_and_the_others_registered(notificaties):
    notificaties.weigeren = {"klantcontacten"}
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="Niet geregistreerd: klantcontacten"):
        call_command(
            "register_kanalen",
            "--kanalen",
            "partijen,klantcontacten,internetaken",
            stdout=out,
            stderr=err,
        )

    assert "Kanaal klantcontacten: HTTP 500" in err.getvalue()
    assert set(notificaties.kanalen) == {"partijen", "internetaken"}


def test_without_documentation_url_it_warns_and_sends_none(notificaties, settings):
    settings.KANALEN_DOCUMENTATIE_URL = ""
    _, err = run("--kanalen", "partijen")
    assert "KANALEN_DOCUMENTATIE_URL" in err
    assert notificaties.kanalen["partijen"]["documentatieLink"] == ""


def test_without_a_notificaties_api_it_stops(settings):
    settings.NOTIFICATIES_API_URL = ""
    with pytest.raises(CommandError, match="NOTIFICATIES_API_URL"):
        run()


def test_an_unknown_kanaal_is_refused(notificaties):
    with pytest.raises(CommandError, match="Onbekende kanalen: zaken"):
        run("--kanalen", "partijen,zaken")
    assert notificaties.requests == []


def test_the_kanalen_page_documents_every_kanaal(client):
    response = client.get("/ref/kanalen/")

    assert response.status_code == 200
    page = response.content.decode()
    for kanaal in definities.KANALEN:
        assert f'id="{kanaal.naam}"' in page
        assert all(f"<code>{kanaal.type(actie)}</code>" in page for actie in definities.ACTIES)
    assert "<code>interne_notitie</code>" in page
    assert definities.ZAAK_GEKOPPELD in page
