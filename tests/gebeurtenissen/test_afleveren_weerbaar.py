"""The delivery worker against destinations that misbehave: a request that cannot be made
fails that delivery alone, and a receiver cannot hold a delivery beyond the time-out."""

import socket
import threading
import time

import pytest

from gebeurtenissen import definities
from gebeurtenissen.afleveren import werken
from gebeurtenissen.models import Aflevering, Bestemming

from .ontvanger import Ontvanger

pytestmark = pytest.mark.django_db(transaction=True)

API = "/klantinteracties/api/v1"
GEHEIM = "een-geheim-van-minstens-zestien-tekens"
PARTIJ = {
    "soortPartij": "persoon",
    "indicatieActief": True,
    "indicatieGeheimhouding": False,
    "voorkeurstaal": "nld",
    "partijIdentificatie": {"contactnaam": {"voornaam": "Jan", "achternaam": "Jansen"}},
}


def test_one_request_that_cannot_be_made_does_not_undo_the_whole_round(api_client, settings):
    # A Notificaties API whose token (admin or NOTIFICATIES_API_SECRET) holds a character
    # an HTTP header cannot carry: its delivery must fail and be retried/parked, not raise
    # out of the round (which rolls back the outcome of every other delivery of the round,
    # so they are sent again at every restart, and kills the worker).
    settings.GEBEURTENISSEN_WACHTTIJD = 0.05
    ontvanger = Ontvanger()
    try:
        webhook = Bestemming.objects.create(
            naam="webhook",
            soort="webhook",
            url=f"{ontvanger.base}/webhook",
            typen=definities.typen(),
            secret=GEHEIM,
        )
        Bestemming.objects.create(
            naam="notificaties",
            soort="notificaties",
            url=f"{ontvanger.base}/api/v1/",
            secret="token-met-een-€-teken",
        )
        assert api_client.post(f"{API}/partijen", PARTIJ, format="json").status_code == 201

        fouten = []
        for _ in range(3):
            try:
                werken(eenmalig=True, threads=1)
            except Exception as exc:  # noqa: BLE001
                fouten.append(type(exc).__name__)

        # Sent once, not once per round (each round rolled back its outcome).
        assert len(ontvanger.at("/webhook")) == 1
        assert fouten == []
        assert Aflevering.objects.get(bestemming=webhook).status == "afgeleverd"
    finally:
        ontvanger.close()


class Druppelaar:
    """A receiver that answers 204, but one byte of its headers at a time, every 0.25 s."""

    def __init__(self, seconden: float):
        self.seconden = seconden
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/webhook"

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 204 No Content\r\nX-Traag: ")
                einde = time.monotonic() + self.seconden
                try:
                    while time.monotonic() < einde:
                        conn.sendall(b"x")
                        time.sleep(0.25)
                    conn.sendall(b"\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def close(self):
        self.sock.close()


def test_a_receiver_cannot_hold_a_delivery_longer_than_the_timeout(api_client, settings):
    # docs/events.md: a time-out (GEBEURTENISSEN_TIMEOUT seconds) is a failed try. A
    # receiver (any abonnement's callbackUrl) that trickles its answer keeps the round, its
    # transaction and the worker's every other delivery waiting for as long as it likes.
    settings.GEBEURTENISSEN_TIMEOUT = 1
    druppelaar = Druppelaar(seconden=6)
    try:
        Bestemming.objects.create(
            naam="traag",
            soort="webhook",
            url=druppelaar.url,
            typen=definities.typen(),
            secret=GEHEIM,
        )
        assert api_client.post(f"{API}/partijen", PARTIJ, format="json").status_code == 201

        begin = time.monotonic()
        werken(eenmalig=True, threads=1)
        duur = time.monotonic() - begin

        assert duur < 3, f"one delivery held the worker {duur:.1f} s (timeout 1 s)"
        assert Aflevering.objects.get().status != "afgeleverd"
    finally:
        druppelaar.close()
