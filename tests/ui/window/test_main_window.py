"""The window as a whole: documents, problems navigation, settings panes, CSV, screenshots."""

from __future__ import annotations

import pytest
from factories import make_png
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from desktop_app.draft import draft_file
from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import Provider
from desktop_app.order.validation import Table
from desktop_app.ui.files.draft_files import CANCEL, DISCARD
from desktop_app.ui.tables.columns import DomainColumn, MailboxColumn
from desktop_app.ui.window.app import run_window
from desktop_app.ui.window.main_window import MainWindow
from desktop_app.ui.window.problems_pane import ProblemColumn

pytestmark = pytest.mark.gui


def edit(window, row=0, text="gamma.com"):
    model = window.document.domains
    model.setData(model.index(row, DomainColumn.DOMAIN), text)


def test_title_shows_the_file_and_an_unsaved_mark(window, tmp_path):
    assert window.windowTitle().startswith("Untitled[*]")
    assert not window.isWindowModified()
    edit(window)
    assert window.isWindowModified()
    assert window.files.save_to(tmp_path / "spring.cmrorder")
    assert window.windowTitle().startswith("spring.cmrorder")
    assert not window.isWindowModified()
    assert window.settings.recent_files() == [(tmp_path / "spring.cmrorder").resolve()]
    assert [a.text() for a in window.window_actions.recent_menu.actions()] == ["&1 spring.cmrorder"]


def test_save_then_open_gives_back_the_draft_with_its_pictures(window, tmp_path):
    window.document.order.mailboxes[0].avatar = avatar_from_bytes(make_png((9, 9, 9), 40))
    edit(window, 1, "delta.net")
    path = tmp_path / "round.cmrorder"
    assert window.files.save_to(path)
    window.files.new()
    assert window.document.order.domains == []
    assert window.files.open_path(path) is None
    order = window.document.order
    assert [e.domain for e in order.domains] == ["alpha.com", "delta.net"]
    assert order.mailboxes[0].avatar is not None and order.mailboxes[0].avatar.read() == make_png(
        (9, 9, 9), 40
    )


def test_a_bad_draft_is_one_sentence_and_the_open_draft_stays(window, tmp_path):
    junk = tmp_path / "junk.cmrorder"
    junk.write_bytes(b"not a zip at all")
    edit(window)
    problem = window.files.open_path(junk, confirmed=True, quiet=True)
    assert problem == "junk.cmrorder is not an Order Desk draft (it is not a ZIP file)."
    assert window.document.order.domains[0].domain == "gamma.com"
    assert window.statusBar().currentMessage() == problem


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(qtbot, window):
    edit(window)
    asked = []
    window.files.ask_unsaved = lambda: asked.append(True) or CANCEL
    assert not window.close()
    assert asked and window.isVisible()
    window.files.ask_unsaved = lambda: DISCARD
    assert window.close()


def test_double_clicking_a_problem_goes_to_its_cell(qtbot, window):
    edit(window, 1, "bad domain")
    pane = window.problems_pane
    qtbot.waitUntil(lambda: any(p.table is Table.DOMAINS for p in pane.model.problems))
    row = next(
        i for i, p in enumerate(pane.model.problems) if p.table is Table.DOMAINS and p.row == 1
    )
    rect = pane.view.visualRect(pane.model.index(row, ProblemColumn.MESSAGE))
    # A real double-click: press and release, then the double-click itself.
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    current = window.domains_pane.view.currentIndex()
    assert (current.row(), current.column()) == (1, DomainColumn.DOMAIN)
    assert window.domains_pane.view.hasFocus()


def test_a_missing_picture_problem_goes_to_the_slot_even_when_filtered(qtbot, window):
    window.mailboxes_pane.filter_edit.setText("nothing matches this")
    pane = window.problems_pane
    qtbot.waitUntil(lambda: any(p.table is Table.AVATARS for p in pane.model.problems))
    problem = next(p for p in pane.model.problems if p.table is Table.AVATARS and p.row == 2)
    pane.problem_activated.emit(problem)
    assert window.mailboxes_pane.filter_edit.text() == ""
    current = window.mailboxes_pane.view.currentIndex()
    assert (current.row(), current.column()) == (2, MailboxColumn.AVATAR)
    assert window.avatar_pane.view.currentIndex().row() == 2


def test_problems_pane_follows_edits_and_hides_warnings_on_request(qtbot, window):
    pane = window.problems_pane
    with qtbot.waitSignal(window.document.problems_changed):
        edit(window, 0, "")
    assert "1 error" in pane.summary.text()
    assert window.bottom_tabs.tabText(0).startswith("Problems (")
    pane.show_warnings.setChecked(False)
    assert [p.severity.value for p in pane.model.problems] == ["error"]


def test_provider_pane_enables_only_the_chosen_providers_fields(qtbot, window):
    provider = window.settings_pane.provider
    assert provider.fields["google.client_id"].isEnabled()
    assert not provider.fields["microsoft_oauth_route"].isEnabled()
    provider.microsoft.click()
    assert window.document.order.provider is Provider.MICROSOFT
    assert not provider.fields["google.client_id"].isEnabled()
    assert provider.fields["microsoft_oauth_route"].isEnabled()
    window.document.undo_stack.undo()
    assert window.document.order.provider is Provider.GOOGLE
    assert provider.google.isChecked()


def test_typing_a_client_id_is_checked_live_and_undone_in_one_step(qtbot, window):
    provider = window.settings_pane.provider
    field = provider.fields["google.client_id"]
    field.setFocus()
    qtbot.keyClicks(field, "12a")
    assert window.document.order.google.client_id == "12a"
    assert window.document.undo_stack.count() == 1  # the keystrokes merged
    assert provider.field_marks["google.client_id"].is_shown()
    # The hint and the problem both show the two forms a client ID comes in.
    assert field.toolTip().count(".apps.googleusercontent.com") == 2
    assert "30 digits" in field.toolTip()
    assert "googleusercontent.com" in field.placeholderText()
    window.document.undo_stack.undo()
    assert field.text() == "" and window.document.order.google.client_id == ""


def test_an_oauth_client_id_is_taken_as_typed(qtbot, window):
    provider = window.settings_pane.provider
    field = provider.fields["google.client_id"]
    oauth = "536726988839-pt93oro4685dtb1emb0pp2vjgjol5mls.apps.googleusercontent.com"
    field.setFocus()
    qtbot.keyClicks(field, oauth)
    assert window.document.order.google.client_id == oauth
    problems = window.document.problems.settings_problems()
    assert not [p for p in problems if p.column == "google.clientId"]
    assert not provider.field_marks["google.client_id"].is_shown()
    assert [p.column for p in problems] == ["google.googleOauthRoute", "google.appName"]


def test_a_settings_problem_puts_the_cursor_in_its_field(qtbot, window):
    window.settings_pane.provider.fields["google.app_name"].setText("x")
    window.document.set_field("google.app_name", "x")
    problem = next(
        p for p in window.document.problems.settings_problems() if p.column == "google.clientId"
    )
    window.problems_pane.problem_activated.emit(problem)
    assert QApplication.focusWidget() is window.settings_pane.provider.fields["google.client_id"]


def test_confirm_explains_that_it_charges_the_wallet(window):
    options = window.settings_pane.options
    assert "unprocessed" in options.confirm_note.text()
    options.confirm.click()
    assert window.document.order.confirm is True
    assert "Charges your CMR wallet" in options.confirm_note.text()
    assert isinstance(options.billing, QLabel) and options.billing.text() == "Monthly"


def test_paste_goes_to_the_table_with_the_focus(qtbot, window):
    view = window.mailboxes_pane.view
    view.setFocus()
    view.setCurrentIndex(window.mailboxes_pane.proxy.index(0, MailboxColumn.FIRST_NAME))
    QApplication.clipboard().setText("Annabel\n")
    window.window_actions.paste.trigger()
    assert window.document.order.mailboxes[0].first_name == "Annabel"
    assert window.document.order.domains[0].domain == "alpha.com"


def test_csv_export_then_import_adds_the_same_rows(window, tmp_path):
    assert window.files.export("domains", tmp_path / "d.csv")
    assert window.files.export("mailboxes", tmp_path / "m.csv")
    window.files.new()
    window.files.import_domains(tmp_path / "d.csv")
    window.files.import_mailboxes(tmp_path / "m.csv")
    order = window.document.order
    assert [(e.domain, e.years) for e in order.domains] == [("alpha.com", 1), ("beta.org", 2)]
    assert [m.email for m in order.mailboxes] == ["ann@alpha.com", "bob@alpha.com", "cat@beta.org"]
    window.document.undo_stack.undo()
    assert order.mailboxes == []


def test_a_bad_csv_is_one_sentence_and_changes_nothing(window, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage\x00\x81")
    window.files.import_domains(bad)
    assert window.files.last_error.startswith("bad.csv")
    assert len(window.document.order.domains) == 2


def test_every_widget_that_takes_focus_has_a_name(window):
    unnamed = [
        w.objectName() or type(w).__name__
        for w in window.findChildren(QLineEdit)
        if w.isVisibleTo(window) and not w.accessibleName()
    ]
    assert unnamed == []


def test_send_is_disabled_until_a_handler_is_set(qtbot, window):
    assert not window.window_actions.send.isEnabled()
    calls = []
    window.set_send_handler(lambda: calls.append("sent"))
    with qtbot.waitSignal(window.send_requested):
        window.window_actions.send.trigger()
    assert calls == ["sent"]
    assert window.add_pane("History", QLineEdit()) == 1


def test_screenshot_of_a_draft(tmp_path, qapp, small_draft):
    draft = tmp_path / "shot.cmrorder"
    draft_file.save(draft_file.load(small_draft), draft)
    png = tmp_path / "window.png"
    assert run_window(draft, screenshot=png) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)


def test_a_screenshot_grabs_the_window_once_with_its_thumbnails_and_the_keys_state(
    tmp_path, qapp, small_draft, monkeypatch, memory_keyring
):
    from desktop_app.ui.keys.api_key_widget import CHECKING

    shown_then = []
    grab = MainWindow.grab

    def counted_grab(window, *args):
        shown_then.append(window.sending.settings_widget.key_widget.indicator.text())
        return grab(window, *args)

    monkeypatch.setattr(MainWindow, "grab", counted_grab)
    png = tmp_path / "window.png"
    assert run_window(small_draft, screenshot=png) == 0
    assert len(shown_then) == 1 and shown_then[0] not in ("", CHECKING)
    image = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB888)
    pixels = bytes(image.constBits())
    assert bytes((0, 90, 200)) * 4 in pixels  # the mailbox's picture, as a thumbnail


def test_screenshot_of_a_bad_draft_is_a_sentence_and_exit_2(tmp_path, qapp, capsys):
    bad = tmp_path / "bad.cmrorder"
    bad.write_text("{}", encoding="utf-8")
    assert run_window(bad, screenshot=tmp_path / "never.png") == 2
    assert (
        capsys.readouterr().err.strip()
        == "bad.cmrorder is not an Order Desk draft (it is not a ZIP file)."
    )
    assert not (tmp_path / "never.png").exists()


def test_every_splitter_handle_is_drawn_in_the_palettes_mid_colour(window):
    from PySide6.QtGui import QPalette

    assert set(window.splitters) == {"columns", "main", "work", "tables"}
    for splitter in window.splitters.values():
        handle = splitter.handle(1)
        image = handle.grab().toImage()
        centre = image.pixelColor(image.width() // 2, image.height() // 2)
        mid = handle.palette().color(QPalette.ColorRole.Mid)
        assert centre.rgb() == mid.rgb(), splitter.objectName()


def test_geometry_and_splitters_are_remembered(qtbot, window):
    # Shorter than the default size (the offscreen screen leaves no room to vary the width),
    # with a taller Problems pane than the default: both differ from what a new window gets,
    # so only remembering them brings them back.
    size = QSize(window.width(), window.height() - 60)
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size)
    splitter = window.splitters["main"]
    default = splitter.sizes()
    splitter.setSizes([sum(default) - default[1] - 120, default[1] + 120])
    wanted = splitter.sizes()
    assert wanted != default
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.size() == size
    assert again.splitters["main"].sizes() == wanted


def test_a_tall_settings_column_scrolls_instead_of_squeezing_its_fields(qtbot, window):
    window.resize(1280, 800)
    # Taller than the full-height settings column, however the window is laid out.
    note = QLabel("A long explanation that wraps over several lines in a narrow column. " * 24)
    note.setWordWrap(True)
    window.settings_pane.set_api_key_widget(note)
    fields = window.settings_pane.provider.fields.values()
    qtbot.waitUntil(lambda: all(f.height() >= f.sizeHint().height() for f in fields))
    qtbot.waitUntil(lambda: window.settings_pane.verticalScrollBar().maximum() > 0)


def test_the_bundled_sample_opens_as_a_new_draft_so_save_never_overwrites_it(window, monkeypatch):
    from desktop_app.services.paths import sample_draft

    sample = sample_draft()
    before = sample.read_bytes()
    assert window.files.open_path(sample, confirmed=True) is None
    assert window.document.path is None and len(window.document.order.mailboxes) == 9
    asked = []
    monkeypatch.setattr(window.files, "save_as", lambda: asked.append(True) or False)
    assert window.files.save() is False
    assert asked == [True] and sample.read_bytes() == before
