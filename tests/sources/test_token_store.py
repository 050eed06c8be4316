"""Where the token lives, and how it is kept out of every line we write."""

from __future__ import annotations

from hkdesk.sources.token_store import ENV_VAR, TokenStore, make_redactor, mask


def test_token_store_without_keyring_uses_environment(monkeypatch) -> None:
    monkeypatch.setenv(ENV_VAR, "env-secret-123")
    store = TokenStore(use_keyring=False)
    assert store.get() == "env-secret-123"
    assert store.status().source == "environment" and not store.status().keyring_available
    assert not store.set("typed-secret-456")  # nowhere safe to keep it: session only
    assert store.get() == "typed-secret-456"
    redact = make_redactor(store)
    line = "wss://host/ws?token=typed-secret-456&x=1 env-secret-123"
    assert "secret" not in redact(line)
    assert mask("typed-secret-456") == "●●●●●●●● (set)"


def test_token_override_wins(monkeypatch) -> None:
    monkeypatch.setenv(ENV_VAR, "from-env-1")
    assert TokenStore("from-cli-1", use_keyring=False).get() == "from-cli-1"
