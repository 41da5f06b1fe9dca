"""Where an order goes, and with which key in which header: one rule for both faces.

An environment (practice, the CMR sandbox, production) is turned into an
address here and nowhere else: the window and the command line read the
address from the settings store (never from a widget's text), the CMR
sandbox may not be production under another spelling, and the key of an
environment goes only to that environment's address.  Practice has one
identity whatever port its server has today, so the never-twice guard and
order status treat every practice server as the same place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.services.environments import Environment

if TYPE_CHECKING:
    from desktop_app.services.keystore import KeyStore
    from desktop_app.services.settings import Settings

PRACTICE = Environment.PRACTICE
SANDBOX = Environment.SANDBOX
PRODUCTION = Environment.PRODUCTION

# What History keeps as the endpoint of every practice attempt: the practice
# server's port changes from one start to the next, its orders do not.
PRACTICE_IDENTITY = "practice"


class DestinationRefused(ValueError):
    """Orders (or a status question) cannot go there; the message is one sentence."""


@dataclass(frozen=True)
class Destination:
    """Where orders go: the API's base URL, and which environment that is."""

    base_url: str
    environment: Environment = PRODUCTION

    @property
    def practice(self) -> bool:
        return self.environment is PRACTICE

    @property
    def key_header(self) -> str:
        """The header the key travels in: the sandbox has its own."""
        return self.environment.key_header

    @property
    def identity(self) -> str:
        """One spelling for this place, as History compares attempts."""
        return endpoint_key(self.base_url, self.environment)


def endpoint_key(base_url: str, environment: Environment | str) -> str:
    """History's spelling of where an attempt went: practice is one place, whatever its port."""
    from desktop_app.api.endpoints import endpoint_identity

    if environment == PRACTICE:  # a str enum: History's text compares equal too
        return PRACTICE_IDENTITY
    return endpoint_identity(base_url)


def same_address(first: str, second: str) -> bool:
    """True when two addresses are one endpoint however they are spelled."""
    from desktop_app.api.endpoints import endpoint_identity

    return endpoint_identity(first.strip()) == endpoint_identity(second.strip())


def production_address(settings: Settings) -> str:
    """The address production orders go to: the setting, else CMR's own."""
    from desktop_app.services.settings import production_base_url

    return production_base_url(settings).strip().rstrip("/")


def sandbox_address(settings: Settings) -> str:
    """The CMR sandbox's address as saved ("" until the operator enters one)."""
    from desktop_app.services.settings import SANDBOX_BASE_URL

    return settings.get(SANDBOX_BASE_URL).strip().rstrip("/")


def configured_address(environment: Environment, settings: Settings) -> str:
    """The address ``environment`` is configured with now ("" for practice and an unset sandbox)."""
    if environment is SANDBOX:
        return sandbox_address(settings)
    if environment is PRODUCTION:
        return production_address(settings)
    return ""


def resolve(
    environment: Environment,
    settings: Settings,
    base_url: str | None = None,
    practice_url: str = "",
) -> Destination:
    """Where ``environment``'s orders go now; :class:`DestinationRefused` says why not.

    ``base_url`` (``--base-url``) stands in for the configured address;
    ``practice_url`` is the address of the practice server running now.
    """
    from desktop_app.api.endpoints import url_problem

    if environment is PRACTICE and not base_url:
        if not practice_url:
            raise DestinationRefused("The practice server is not running.")
        return Destination(practice_url.rstrip("/"), PRACTICE)
    if not base_url:
        unreadable(environment, settings)
    address = (base_url or configured_address(environment, settings)).strip().rstrip("/")
    if environment is SANDBOX:
        if not address:
            raise DestinationRefused(
                "The CMR sandbox's address is not set: enter it once in Settings "
                "(CMR sandbox address), or give --base-url."
            )
        from desktop_app.services.settings import sandbox_conflict

        conflict = sandbox_conflict(address, production_address(settings))
        if conflict:
            raise DestinationRefused(conflict)
    problem = url_problem(address)
    if problem:
        raise DestinationRefused(problem)
    return Destination(address, environment)


def unreadable(environment: Environment, settings: Settings) -> None:
    """DestinationRefused when the settings hold an address for ``environment`` (or, for the
    sandbox, production's, which it is checked against) that cannot be read: its default
    (CMR's production address) must never stand in for an address the operator set."""
    from desktop_app.services.settings import BASE_URL, SANDBOX_BASE_URL

    options = [BASE_URL] + ([SANDBOX_BASE_URL] if environment is SANDBOX else [])
    for option in options:
        if settings.unusable(option):
            raise DestinationRefused(
                f"{option.key} in {settings.path.name} cannot be read, so where orders go "
                f"is not known: set it again in Settings or with `order-desk settings set "
                f"{option.key} ADDRESS`."
            )


def key_store(environment: Environment) -> KeyStore | None:
    """The store of ``environment``'s key (None for practice: its key is public)."""
    from desktop_app.services.environments import key_store_for

    if environment is PRACTICE:
        return None
    return key_store_for(environment)


def practice_key() -> str:
    from desktop_app.practice.state import PRACTICE_KEY

    return PRACTICE_KEY


def read_key(destination: Destination, store: KeyStore | None) -> str:
    """The API key for ``destination``; :class:`DestinationRefused` when none can be had.

    ``store`` is the environment's key store (the window passes its own).
    Raises KeyringUnavailable's sentence as a refusal too: a locked keyring is
    not "no key".
    """
    from desktop_app.services.keystore import KeyringUnavailable

    if destination.practice:
        return practice_key()
    if store is None:
        raise DestinationRefused(f"{destination.environment.label} has no key store.")
    try:
        key = store.get()
    except KeyringUnavailable as exc:
        raise DestinationRefused(f"{exc} Or set {store.env_var}.") from None
    if not key:
        raise DestinationRefused(no_key(destination.environment, store.env_var))
    return key


def no_key(environment: Environment, env_var: str) -> str:
    from desktop_app import APP_ID

    option = "" if environment is PRODUCTION else f" --env {environment.value}"
    return (
        f"No API key is set for {environment.label}: paste it in Settings → API key, "
        f"run `{APP_ID} key set{option}`, or set {env_var}."
    )


def printable(text: str, most: int = 120) -> str:
    """An address for a sentence: control characters escaped, cut to ``most``."""
    from desktop_app.order.names import printable as escaped

    shown = escaped(text)
    return shown if len(shown) <= most else shown[: most - 1] + "…"
