"""`manage.py devtoken` prints a working token and the address `make run` serves on."""

import io

import pytest
from django.core.management import call_command

from klantinteracties.api.auth import lookup_token
from klantinteracties.api.management.commands import devtoken

pytestmark = pytest.mark.django_db


def test_prints_the_served_address_and_a_valid_token(monkeypatch, tmp_path):
    monkeypatch.setattr(devtoken, "KEY_FILE", tmp_path / ".dev-token")
    monkeypatch.setenv("PORT", "8399")
    out = io.StringIO()
    call_command("devtoken", stdout=out)
    key = (tmp_path / ".dev-token").read_text().strip()
    assert lookup_token(key) is not None
    assert "http://127.0.0.1:8399/klantinteracties/api/v1/partijen" in out.getvalue()
