"""A window that fits: the screen, small screens at 150 %, grabbable splitters, Reset Layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QAction, QGuiApplication

from desktop_app.ui.common.window_fit import SPLITTER_HANDLE, saved_frame
from desktop_app.ui.files.draft_files import DISCARD
from desktop_app.ui.window.main_window import MainWindow

pytestmark = pytest.mark.gui
# 1366×768 at 150 %: 910×512 points, less a top panel (~27) and a title bar (~37).
SMALL_SCREEN = QSize(910, 448)


def shown(qtbot, practice=False):
    window = MainWindow(practice=practice)
    window.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(window)
    window.set_practice_mode(practice)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_window_never_opens_larger_than_the_screen(qtbot):
    window = shown(qtbot)
    available = QGuiApplication.primaryScreen().availableGeometry()
    assert available.width() < 1280  # the offscreen screen is smaller than the default size
    assert window.width() <= available.width() and window.height() <= available.height()


def test_a_remembered_geometry_too_big_for_the_screen_is_not_restored(qtbot):
    first = shown(qtbot)
    available = QGuiApplication.primaryScreen().availableGeometry()
    first.setGeometry(QRect(-300, -200, available.width() + 900, available.height() + 700))
    first.close()
    assert first.settings.geometry() is not None
    again = shown(qtbot)
    assert available.contains(again.geometry())
    # Qt alone would squeeze the saved geometry onto the screen; the app starts afresh at the
    # size a window that remembers nothing opens at.
    fresh = MainWindow(remember=False)
    qtbot.addWidget(fresh)
    fresh.show()
    qtbot.waitExposed(fresh)
    assert again.size() == fresh.size()


def test_a_remembered_geometry_that_fits_is_restored(qtbot):
    first = shown(qtbot)
    wanted = QSize(first.minimumSizeHint().width(), 500)  # the default would be taller
    first.setGeometry(QRect(QPoint(0, 40), wanted))
    first.close()
    again = shown(qtbot)
    assert again.size() == wanted


def test_the_minimum_size_fits_1366_by_768_at_150_percent(qtbot):
    window = shown(qtbot, practice=True)
    window.document.set_field("confirm", True)  # both banners showing
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALL_SCREEN.width(), hint
    assert hint.height() <= SMALL_SCREEN.height() + 40, hint  # with both banners
    assert window.confirm_banner.isVisible()
    window.document.set_field("confirm", False)
    qtbot.waitUntil(lambda: window.minimumSizeHint().height() <= SMALL_SCREEN.height())


def test_a_short_window_keeps_its_tables_and_the_problems_can_be_made_tall(qtbot):
    window = shown(qtbot)
    window.resize(SMALL_SCREEN)
    window.reset_layout()
    work, bottom = window.splitters["main"].sizes()
    assert work > 2.5 * bottom  # a short window takes its space from Problems first
    main = window.splitters["main"]
    main.setSizes([1, 10_000])  # the operator drags the handle up as far as it goes
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.bottom_tabs.height() > 0.55 * main.height())


def test_splitter_handles_are_wide_and_drawn(qtbot):
    window = shown(qtbot)
    background = window.palette().window().color()
    for splitter in window.splitters.values():
        assert splitter.handleWidth() == SPLITTER_HANDLE >= 6
        handle = splitter.handle(1)
        image = handle.grab().toImage()
        middle = image.pixelColor(image.width() // 2, image.height() // 2)
        assert middle != background, splitter.objectName()


def test_reset_layout_restores_the_default_sizes(qtbot):
    window = shown(qtbot)
    window.resize(1000, 700)
    window.reset_layout()
    defaults = {name: s.sizes() for name, s in window.splitters.items()}
    window.splitters["work"].setSizes([300, 690])
    window.splitters["main"].setSizes([200, 400])
    reset = next(a for a in window.findChildren(QAction) if a.text() == "Reset &Layout")
    reset.trigger()
    assert {name: s.sizes() for name, s in window.splitters.items()} == defaults
    assert window.statusBar().currentMessage() == "Layout reset."


@pytest.mark.parametrize(
    ("practice", "keyring_works"),
    [(False, True), (True, True), (False, False)],
    ids=["real", "practice", "no-keyring"],
)
def test_the_api_key_box_and_practice_switch_show_without_scrolling_at_1280_by_800(
    qtbot, window, practice, keyring_works
):
    import keyring.backends.fail
    from send_support import MemoryKeyring

    from desktop_app.services.keystore import KeyStore
    from desktop_app.ui.send import integration

    backend = MemoryKeyring() if keyring_works else keyring.backends.fail.Keyring()
    controller = integration.install_sending(window, KeyStore(backend, environ={}))
    try:
        controller.settings_widget.key_widget.refresh()  # its message takes its real room
        window.practice_action.setChecked(practice)
        # In practice mode the confirm banner takes room too.
        window.document.set_field("confirm", practice)
        window.resize(1280, 800)
        pane = window.settings_pane
        switch = controller.settings_widget.practice
        qtbot.waitUntil(lambda: switch.isVisible() and pane.viewport().height() < 800)
        seen: list[tuple[int, int]] = []

        def settled() -> bool:  # measured once the layout stops moving, not half-way
            seen.append((switch.mapTo(pane.viewport(), QPoint(0, 0)).y(), pane.viewport().height()))
            return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]

        qtbot.waitUntil(settled)
        bottom = switch.mapTo(pane.viewport(), switch.rect().bottomLeft()).y()
        assert pane.verticalScrollBar().value() == 0
        assert 0 < bottom <= pane.viewport().height()
        key_group = pane.api_key_group
        assert key_group.mapTo(pane.viewport(), key_group.rect().topLeft()).y() >= 0
    finally:
        controller.shutdown()


def test_the_environment_switch_keeps_the_minimum_size_within_1366_by_768_at_150_percent(qtbot):
    from send_support import memory_key_store

    from desktop_app.services.environments import Environment
    from desktop_app.ui.send import integration

    window = shown(qtbot)
    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    try:
        controller.set_environment(Environment.SANDBOX)
        window.document.set_field("confirm", True)  # both banners showing
        hint = window.minimumSizeHint()
        assert hint.width() <= SMALL_SCREEN.width(), hint
        assert hint.height() <= SMALL_SCREEN.height() + 40, hint
        window.resize(SMALL_SCREEN)
        combo = window.environment_switch.combo
        qtbot.waitUntil(combo.isVisible)  # on the toolbar itself, not in its overflow menu
        assert combo.currentText() == "CMR sandbox"
        send = window.toolbar.widgetForAction(window.window_actions.send)
        assert combo.geometry().right() < send.geometry().left() <= window.toolbar.width()
    finally:
        controller.shutdown()


def test_the_sandbox_address_and_practice_switch_show_without_scrolling_at_1280_by_800(
    qtbot, window
):
    from send_support import memory_key_store

    from desktop_app.services.environments import Environment
    from desktop_app.ui.send import integration

    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    try:
        controller.settings_widget.key_widget.refresh()
        controller.set_environment(Environment.SANDBOX)
        window.document.set_field("confirm", True)
        window.resize(1280, 800)
        pane = window.settings_pane
        switch = controller.settings_widget.practice
        address = controller.settings_widget.sandbox_url
        qtbot.waitUntil(lambda: switch.isVisible() and pane.viewport().height() < 800)
        assert address.isVisible()
        bottom = switch.mapTo(pane.viewport(), switch.rect().bottomLeft()).y()
        assert pane.verticalScrollBar().value() == 0
        assert 0 < bottom <= pane.viewport().height()
    finally:
        controller.shutdown()


def test_the_saved_frame_is_read_from_qts_bytes_and_junk_reads_as_none(qtbot):
    window = shown(qtbot)
    window.setGeometry(QRect(QPoint(30, 60), QSize(window.minimumSizeHint().width(), 480)))
    qtbot.waitUntil(lambda: window.geometry().topLeft() == QPoint(30, 60))
    assert saved_frame(bytes(window.saveGeometry().data())) == window.frameGeometry()
    assert saved_frame(b"") is None
    assert saved_frame(b"not a geometry at all, just some text") is None


def rows_shown(view):
    return view.viewport().height() / view.verticalHeader().defaultSectionSize()


def test_a_layout_saved_at_another_scale_never_leaves_the_tables_smaller(qtbot):
    # Saved in a big window (100 %), with the tables given little and Problems much room.
    first = shown(qtbot)
    first.resize(QGuiApplication.primaryScreen().availableGeometry().size() - QSize(20, 60))
    first.reset_layout()
    main = first.splitters["main"]
    main.setSizes([sum(main.sizes()) - 260, 260])
    first.close()
    # Opened where the window is small (1366×768 at 150 %).
    again = MainWindow()
    again.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(again)
    again.resize(SMALL_SCREEN)
    again.show()
    qtbot.waitExposed(again)
    fresh = MainWindow(remember=False)
    qtbot.addWidget(fresh)
    fresh.resize(SMALL_SCREEN)
    fresh.show()
    qtbot.waitExposed(fresh)
    for pane in ("domains_pane", "mailboxes_pane"):
        wanted = min(rows_shown(getattr(fresh, pane).view), 5)
        assert wanted > 0.5
        assert rows_shown(getattr(again, pane).view) >= wanted, pane


def test_a_layout_saved_at_this_size_is_restored_even_with_small_tables(qtbot):
    first = shown(qtbot)
    size = QSize(first.width(), SMALL_SCREEN.height())
    first.resize(size)
    qtbot.waitUntil(lambda: first.size() == size)
    main = first.splitters["main"]
    main.setSizes([sum(main.sizes()) - 200, 200])  # the operator's choice: a tall Problems
    wanted = main.sizes()
    first.close()
    again = MainWindow()
    again.files.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.size() == size
    assert again.splitters["main"].sizes() == wanted


def test_history_shows_four_rows_when_chosen_in_a_small_window(qtbot):
    from send_support import memory_key_store

    from desktop_app.ui.send import integration

    window = shown(qtbot)
    controller = integration.install_sending(window, memory_key_store(), memory_key_store())
    try:
        window.resize(SMALL_SCREEN)
        window.reset_layout()
        history = controller.history_pane
        [go_to_history] = [a for a in window.window_actions.pane_actions if "istory" in a.text()]
        go_to_history.trigger()
        qtbot.waitUntil(lambda: history.view.isVisible())
        history.empty.hide()  # as when History holds attempts
        history.view.show()
        window.bottom_tabs.setCurrentIndex(0)
        window.bottom_tabs.setCurrentIndex(1)
        view = history.view
        qtbot.waitUntil(
            lambda: view.viewport().height() >= 4 * view.verticalHeader().defaultSectionSize()
        )
        for pane in (window.domains_pane, window.mailboxes_pane):
            assert pane.view.viewport().height() > 0  # the tables are still there
    finally:
        controller.shutdown()
