"""What the chosen environment still needs before an order can go, shown in Problems.

The CMR sandbox needs its own address and its own key: without them sending
can only refuse.  Problems says so while the operator drafts, and going to the
problem puts the cursor in the field that fixes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.order.problems import Problem, Table, error
from desktop_app.services.environments import Environment

if TYPE_CHECKING:
    from desktop_app.ui.send.controller import SendController
    from desktop_app.ui.send.host import SendingHost

SANDBOX_ADDRESS = "CMR sandbox address"  # where the problem is: the field's own label
SANDBOX_KEY = "CMR sandbox API key"
NO_ADDRESS = "The CMR sandbox needs its address (from CMR): enter it in Settings → API key."
NO_KEY = "The CMR sandbox needs its own API key: paste it in Settings → API key."


def environment_problems(controller: SendController) -> list[Problem]:
    """The sandbox's missing address or key, while the sandbox is chosen."""
    if controller.environment is not Environment.SANDBOX:
        return []
    settings = controller.settings_widget
    problems = []
    if not settings.sandbox_base_url():
        problems.append(error(Table.SETTINGS, NO_ADDRESS, column=SANDBOX_ADDRESS))
    else:
        from desktop_app.services.settings import sandbox_conflict

        conflict = sandbox_conflict(settings.sandbox_base_url(), settings.production_base_url())
        if conflict:  # settings.ini edited by hand: sending refuses it, so say it now
            problems.append(error(Table.SETTINGS, conflict, column=SANDBOX_ADDRESS))
    key = settings.key_widget
    if key.answered and not key.is_set:  # not while the keyring is still being asked
        problems.append(error(Table.SETTINGS, NO_KEY, column=SANDBOX_KEY))
    return problems


def install(window: SendingHost, controller: SendController) -> None:
    """List the environment's problems in ``window``'s Problems pane, and go to their fields."""
    pane = window.problems_pane
    pane.set_extra_problems(lambda: environment_problems(controller))
    settings = controller.settings_widget
    for signal in (
        controller.environment_changed,
        settings.sandbox_url_changed,
        settings.key_widget.checked,
        settings.key_widget.key_changed,
    ):
        signal.connect(lambda *_args: pane.refresh())
    fields = {SANDBOX_ADDRESS: settings.sandbox_url, SANDBOX_KEY: settings.key_widget.entry}

    def go_to(problem: Problem) -> None:
        field = fields.get(problem.column) if problem.table is Table.SETTINGS else None
        if field is not None:
            window.settings_pane.ensureWidgetVisible(field)
            field.setFocus()
            field.selectAll()

    pane.problem_activated.connect(go_to)
