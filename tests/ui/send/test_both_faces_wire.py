"""One behaviour, two faces: the same scenarios through `order-desk` and the window, at the wire.

Each environment's address is a real loopback server that records what it
received (which server, which key header, whether the key was that
environment's, the body's fields). The command line runs as a real process;
the window is driven by what an operator clicks. Both must leave the same
request on the wire and the same row in History.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_support import order_desk
from PySide6.QtCore import Qt
from send_support import memory_key_store, small_order

from desktop_app.api.outcome import Outcome, SendResult
from desktop_app.api.payload import ORDERS_PATH, build_request
from desktop_app.draft import draft_file
from desktop_app.practice.server import PracticeServer
from desktop_app.services.environments import Environment
from desktop_app.services.history import History, SendPart
from desktop_app.services.settings import BASE_URL, SANDBOX_BASE_URL, Settings
from desktop_app.ui.send import integration

pytestmark = pytest.mark.gui

PRODUCTION_KEY = "prod-key-8f3kQ2mZ7wX"
SANDBOX_KEY = "sandbox-key-4Lr9Tq1Vb6"
HEADERS = {
    Environment.PRODUCTION: "cmr-x-api-key",
    Environment.SANDBOX: "cmr-x-sandbox-api-key",
}


@dataclass
class Places:
    """A recording server for production and one for the CMR sandbox, as the settings say."""

    production: PracticeServer
    sandbox: PracticeServer

    def server(self, environment: Environment) -> PracticeServer:
        return self.production if environment is Environment.PRODUCTION else self.sandbox

    def other(self, environment: Environment) -> PracticeServer:
        return self.sandbox if environment is Environment.PRODUCTION else self.production


@pytest.fixture
def places(app_home) -> Iterator[Places]:
    with ExitStack() as stack:
        production = stack.enter_context(PracticeServer(key=PRODUCTION_KEY))
        sandbox = stack.enter_context(PracticeServer(key=SANDBOX_KEY))
        settings = Settings(app_home)
        settings.set(BASE_URL, production.base_url)
        settings.set(SANDBOX_BASE_URL, sandbox.base_url)
        yield Places(production, sandbox)


@pytest.fixture
def draft(tmp_path) -> Path:
    path = tmp_path / "june.cmrorder"
    draft_file.save(small_order(2), path)
    return path


def cli_env(**extra: str) -> dict[str, str]:
    import os

    keys = {"CMR_API_KEY": PRODUCTION_KEY, "CMR_SANDBOX_API_KEY": SANDBOX_KEY}
    return {**os.environ, **keys, **extra}


@pytest.fixture
def installed(window):
    production, sandbox = memory_key_store(), memory_key_store()
    production.set(PRODUCTION_KEY)
    sandbox.set(SANDBOX_KEY)
    controller = integration.install_sending(window, production, sandbox)
    yield window, controller
    controller.shutdown()


def choose(window, environment: Environment) -> None:
    combo = window.environment_switch.combo
    index = combo.findText(environment.label)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what a click on the item emits


def send_from_window(qtbot, window, controller, path: Path) -> list:
    """Open ``path`` as an operator would, click Send Order…, then Send in the review."""
    window.document.replace(draft_file.load(path), path)
    window.window_actions.send.trigger()
    qtbot.waitUntil(lambda: controller.review_dialog is not None, timeout=10_000)
    with qtbot.waitSignal(controller.sent, timeout=20_000) as sent:
        qtbot.mouseClick(controller.review_dialog.send_button, Qt.MouseButton.LeftButton)
    controller.result_dialog.reject()
    return sent.args[0]


def check_status_in_window(qtbot, controller, row: int = 0):
    pane = controller.history_pane
    pane.refresh()
    pane.view.selectRow(row)
    with qtbot.waitSignal(controller.status_checks.answered, timeout=15_000) as answered:
        qtbot.mouseClick(pane.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not controller.status_checks.busy)
    return answered.args[1]


def assert_sent_to(places: Places, environment: Environment) -> str:
    """The order reached ``environment``'s server alone, with its key in its header."""
    server = places.server(environment)
    assert places.other(environment).requests == []
    [received] = server.requests
    assert received.key_headers == (HEADERS[environment],)
    assert received.key_accepted  # the key is that environment's own
    assert received.fields["confirm"] == ""  # Process at once is off in the draft
    assert received.status == 201
    [attempt] = History().attempts()
    assert attempt.environment == environment.value
    assert attempt.endpoint == server.base_url + ORDERS_PATH
    assert attempt.outcome == Outcome.CREATED.value
    assert attempt.order_id == received.order_id
    return received.order_id


def assert_asked(places: Places, environment: Environment, order_id: str) -> None:
    server = places.server(environment)
    assert places.other(environment).status_requests == []
    [asked] = server.status_requests
    assert asked.order_id == order_id
    assert asked.key_headers == (HEADERS[environment],)
    assert asked.key_accepted and asked.status == 200
    [attempt] = History().attempts()
    assert attempt.status_text == "pending"


ENVIRONMENTS = [Environment.PRODUCTION, Environment.SANDBOX]


@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=lambda e: e.value)
def test_the_command_line_sends_and_asks_with_the_environments_key_and_header(
    places, draft, environment
):
    sent = order_desk("send", draft, "--env", environment.value, "--yes", env=cli_env())
    assert sent.returncode == 0, sent.stderr
    order_id = assert_sent_to(places, environment)
    assert f"orderId: {order_id}" in sent.stdout
    asked = order_desk("status", order_id, env=cli_env())
    assert asked.returncode == 0, asked.stderr
    assert_asked(places, environment, order_id)


@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=lambda e: e.value)
def test_the_window_sends_and_asks_with_the_environments_key_and_header(
    qtbot, places, draft, installed, environment
):
    window, controller = installed
    choose(window, environment)
    [outcome] = send_from_window(qtbot, window, controller, draft)
    assert outcome.result.outcome is Outcome.CREATED, outcome.result.message
    order_id = assert_sent_to(places, environment)
    answer = check_status_in_window(qtbot, controller)
    assert answer.ok, answer.message
    assert_asked(places, environment, order_id)


def record_old_row(base_url: str, order_id: str, environment: str = "") -> None:
    request = build_request(small_order(1), base_url)
    result = SendResult(Outcome.CREATED, "Order created.", order_id=order_id)
    History().record(request, result, SendPart(environment=environment))


def test_a_row_from_before_environments_at_this_computer_gets_the_practice_key_only(
    qtbot, places, installed
):
    """Whatever listens on an old practice port now never gets a real key."""
    _window, controller = installed
    with PracticeServer(key=PRODUCTION_KEY) as squatter:
        record_old_row(squatter.base_url, "P" * 28)
        asked = order_desk("status", "P" * 28, env=cli_env())
        answer = check_status_in_window(qtbot, controller)
        assert squatter.status_requests == []
    assert places.production.status_requests == [] and places.sandbox.status_requests == []
    # Asked in practice instead, which does not know this old order.
    assert asked.returncode == 1 and "does not know order" in asked.stderr
    assert not answer.ok and "does not know order" in answer.message


def test_a_row_whose_address_is_not_the_configured_one_sends_nothing(qtbot, places, installed):
    _window, controller = installed
    with PracticeServer(key=PRODUCTION_KEY) as elsewhere:
        record_old_row(elsewhere.base_url, "E" * 28, environment="production")
        asked = order_desk("status", "E" * 28, env=cli_env())
        controller.history_pane.refresh()
        controller.history_pane.view.selectRow(0)
        qtbot.mouseClick(controller.history_pane.check_button, Qt.MouseButton.LeftButton)
        assert elsewhere.status_requests == []
        assert places.production.status_requests == []
        for sentence in (asked.stderr, controller.warning_box.text()):
            assert elsewhere.base_url in sentence and places.production.base_url in sentence
            assert "--base-url" in sentence and "nothing was sent" in sentence
        assert asked.returncode == 1
        # Named explicitly, the other address is asked.
        named = order_desk("status", "E" * 28, "--base-url", elsewhere.base_url, env=cli_env())
        assert len(elsewhere.status_requests) == 1, named.stderr
        assert elsewhere.status_requests[0].key_headers == ("cmr-x-api-key",)
    assert not controller.status_checks.busy


def test_a_status_that_is_not_about_the_order_is_not_kept(places, draft):
    sent = order_desk("send", draft, "--yes", env=cli_env())
    order_id = sent.stdout.split("orderId: ")[1].split()[0]
    refused = order_desk("status", order_id, env=cli_env(CMR_API_KEY="wrong-key-123456"))
    assert refused.returncode == 1 and "refused" in refused.stderr
    [attempt] = History().attempts()
    assert attempt.status_text == ""  # a refused key says nothing about the order
    assert places.production.status_requests[0].status == 401


SAME_AS_PRODUCTION = [
    lambda url: url,
    lambda url: url.replace("127.0.0.1", "localhost") + "/",
    lambda url: url.replace("http://", "HTTP://").replace("127.0.0.1", "[::1]"),
    lambda url: url + "/api",  # a path of its own, on the production server all the same
]


@pytest.mark.parametrize(
    "spell", SAME_AS_PRODUCTION, ids=["same", "localhost", "ipv6", "another-path"]
)
def test_the_sandbox_address_may_not_be_production_in_any_spelling(
    qtbot, places, installed, spell, app_home
):
    window, controller = installed
    production = places.production.base_url
    before = (app_home / "settings.ini").read_bytes()
    changed = order_desk("settings", "set", "sending/sandbox_base_url", spell(production))
    assert changed.returncode == 1
    assert "is on the production server" in changed.stderr
    assert (app_home / "settings.ini").read_bytes() == before
    field = controller.settings_widget.sandbox_url
    field.setText(spell(production))
    field.editingFinished.emit()
    problem = controller.settings_widget.url_problem
    assert problem.isVisibleTo(window) or not problem.isHidden()
    assert "is on the production server" in problem.text()
    assert (app_home / "settings.ini").read_bytes() == before


def test_a_sandbox_at_the_production_address_sends_nothing_from_either_face(
    qtbot, places, draft, installed, app_home
):
    window, controller = installed
    ini = app_home / "settings.ini"
    # Production's server under a path of its own: the sandbox key would reach it.
    text = ini.read_text().replace(places.sandbox.base_url, places.production.base_url + "/api")
    ini.write_text(text)  # edited by hand: the store's own check never saw it
    sent = order_desk("send", draft, "--env", "sandbox", "--yes", env=cli_env())
    assert sent.returncode == 1 and "is on the production server" in sent.stderr
    choose(window, Environment.SANDBOX)
    window.document.replace(draft_file.load(draft), draft)
    window.window_actions.send.trigger()
    assert controller.review_dialog is None
    assert "is on the production server" in controller.warning_box.text()
    assert places.production.requests == [] and places.sandbox.requests == []
    assert History().attempts() == []


def test_practice_orders_can_be_followed_up_by_either_face_and_are_not_bought_twice(
    qtbot, draft, installed
):
    window, controller = installed
    sent = order_desk("send", draft, "--env", "practice", "--yes", env=cli_env())
    assert sent.returncode == 0, sent.stderr
    order_id = sent.stdout.split("orderId: ")[1].split()[0]
    answer = check_status_in_window(qtbot, controller)  # practice mode is not even on
    assert answer.ok, answer.message
    assert answer.data["orderId"] == order_id
    for command in (["status", order_id, "--env", "practice"], ["status", order_id]):
        asked = order_desk(*command, env=cli_env())
        assert asked.returncode == 0, asked.stderr
        assert f"orderId: {order_id}" in asked.stdout
    [attempt] = History().attempts()
    assert attempt.status_text == "pending"
    again = order_desk("send", draft, "--env", "practice", "--yes", env=cli_env())
    assert again.returncode == 1
    assert "ordered already" in again.stderr
    assert len(History().attempts()) == 1
    # The window's own practice server knows it is a repeat too.
    choose(window, Environment.PRACTICE)
    window.document.replace(draft_file.load(draft), draft)
    window.window_actions.send.trigger()
    review = controller.review_dialog
    assert review is not None and review.plans[0].repeats
