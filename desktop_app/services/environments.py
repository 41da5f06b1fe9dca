"""Where an order can go: the built-in practice server, CMR's sandbox, or production.

Each environment has its own address, its own API key (in the keyring, or an
environment variable for scripts) and its own key header; History keeps the
environment of every attempt, and the never-twice guard never mixes two.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from desktop_app.services.keystore import ACCOUNT, ENV_VAR

if TYPE_CHECKING:
    from desktop_app.services.keystore import KeyStore


class Environment(str, enum.Enum):
    """The values are what History, settings and ``--env`` use."""

    PRACTICE = "practice"
    SANDBOX = "sandbox"
    PRODUCTION = "production"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def key_header(self) -> str:
        """The header the API key goes in (the sandbox has its own)."""
        return "cmr-x-sandbox-api-key" if self is Environment.SANDBOX else "cmr-x-api-key"

    @property
    def spends_money(self) -> bool:
        return self is Environment.PRODUCTION

    def describe(self) -> str:
        """``CMR sandbox: no money moves.`` — what the review and the banner say."""
        return {
            Environment.PRACTICE: "Practice: the server built into Order Desk; nothing is bought.",
            Environment.SANDBOX: "CMR sandbox: CMR's test environment; no money moves.",
            Environment.PRODUCTION: "Production: real orders, paid from your wallet.",
        }[self]


_LABELS = {
    Environment.PRACTICE: "Practice",
    Environment.SANDBOX: "CMR sandbox",
    Environment.PRODUCTION: "Production",
}
SANDBOX_ENV_VAR = "CMR_SANDBOX_API_KEY"
SANDBOX_ACCOUNT = "cmr-sandbox-api-key"


def key_store_for(environment: Environment, **options: Any) -> KeyStore:
    """The key store of ``environment``'s key (production's is the one there always was)."""
    from desktop_app.services.keystore import KeyStore

    if environment is Environment.SANDBOX:
        return KeyStore(account=SANDBOX_ACCOUNT, env_var=SANDBOX_ENV_VAR, **options)
    return KeyStore(account=ACCOUNT, env_var=ENV_VAR, **options)


def parse(text: str) -> Environment:
    """``--env`` text as an environment; ValueError (a sentence) for anything else."""
    try:
        return Environment(text.strip().lower())
    except ValueError:
        names = ", ".join(e.value for e in Environment)
        raise ValueError(f"{text!r} is not an environment: use one of {names}.") from None
