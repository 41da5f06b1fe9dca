"""Avatar slots: real drops of real pictures (and of junk), choose and clear, thumbnails."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import make_image_bytes, make_png
from PySide6.QtCore import QItemSelectionModel, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import QApplication

from desktop_app.order.avatars import MAX_INPUT_BYTES, MAX_SIDE
from desktop_app.ui.tables.columns import MailboxColumn, Role

pytestmark = pytest.mark.gui


def slot_point(window, row: int) -> QPoint:
    pane = window.avatar_pane
    index = pane.proxy.index(row, MailboxColumn.AVATAR)
    return pane.view.visualRect(index).center()


def empty_point(window) -> QPoint:
    viewport = window.avatar_pane.view.viewport()
    point = QPoint(viewport.width() - 4, viewport.height() - 4)
    assert not window.avatar_pane.view.indexAt(point).isValid()
    return point


def drop(window, mime: QMimeData, point: QPoint) -> None:
    viewport = window.avatar_pane.view.viewport()
    action, button, modifier = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # As in Qt's C++ API: enter and move events take a QPoint, a drop a QPointF.
    enter = QDragEnterEvent(point, action, mime, button, modifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(viewport, QDragMoveEvent(point, action, mime, button, modifier))
    event = QDropEvent(QPointF(point), action, mime, button, modifier)
    QApplication.sendEvent(viewport, event)
    assert event.isAccepted()


def files(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def avatars(window):
    return {m.username: m.avatar for m in window.document.order.mailboxes}


def test_one_picture_dropped_on_a_slot_is_normalised_and_set(window, tmp_path):
    photo = tmp_path / "holiday.jpg"
    photo.write_bytes(make_image_bytes((10, 120, 200), (1600, 900), "JPEG", quality=90))
    drop(window, files(photo), slot_point(window, 1))
    avatar = avatars(window)["bob"]
    assert avatar is not None and avatar.problem is None
    assert avatar.width == MAX_SIDE
    assert avatars(window)["ann"] is None
    assert window.document.undo_stack.count() == 1
    assert "bob@alpha.com" in window.avatar_pane.message_text()
    assert not window.avatar_pane.banner.warning
    window.document.undo_stack.undo()
    assert avatars(window)["bob"] is None


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("junk.png", b"definitely not a picture", "not an image"),
        ("cut.png", make_png(size=200)[:150], "damaged or truncated"),
        ("empty.jpg", b"", "empty"),
    ],
)
def test_a_bad_file_dropped_on_a_slot_changes_nothing_and_says_why(
    window, tmp_path, name, content, words
):
    bad = tmp_path / name
    bad.write_bytes(content)
    drop(window, files(bad), slot_point(window, 0))
    assert avatars(window)["ann"] is None
    assert window.document.undo_stack.count() == 0
    message = window.avatar_pane.message_text()
    assert name in message and words in message and "nothing was changed" in message
    assert window.avatar_pane.banner.isVisibleTo(window) and window.avatar_pane.banner.warning


def test_a_huge_file_is_refused_before_it_is_read(window, tmp_path):
    huge = tmp_path / "huge.png"
    with huge.open("wb") as stream:
        stream.truncate(MAX_INPUT_BYTES + 1)
    drop(window, files(huge), slot_point(window, 0))
    assert avatars(window)["ann"] is None
    assert "larger than" in window.avatar_pane.message_text()


def test_several_named_files_go_to_their_slots_in_one_step(window, pictures, wait_for_pictures):
    names = ["ann@alpha.com.png", "BOB@Alpha.com.jpg", "nobody@alpha.com.png", "cat@beta.org.png"]
    drop(window, files(*(pictures / n for n in names)), empty_point(window))
    wait_for_pictures(window)
    got = avatars(window)
    assert got["ann"] is not None and got["bob"] is not None
    assert got["cat"] is None  # its file is junk
    assert window.document.undo_stack.count() == 1
    message = window.avatar_pane.message_text()
    assert "Set 2 pictures." in message
    assert "nobody@alpha.com.png" in message and "cat@beta.org.png" in message


def test_a_dropped_folder_matches_its_pictures_by_name(window, pictures, wait_for_pictures):
    drop(window, files(pictures), empty_point(window))
    wait_for_pictures(window)
    got = avatars(window)
    assert got["ann"] is not None and got["bob"] is not None and got["cat"] is None
    assert "notes.txt" not in window.avatar_pane.message_text()  # not a picture: ignored


def test_one_picture_on_a_selection_gives_them_all_the_same(window, tmp_path):
    picture = tmp_path / "team.png"
    picture.write_bytes(make_png((1, 2, 3), 80))
    pane = window.avatar_pane
    selection = pane.view.selectionModel()
    for row in (0, 2):
        selection.select(
            pane.proxy.index(row, MailboxColumn.AVATAR), QItemSelectionModel.SelectionFlag.Select
        )
    drop(window, files(picture), slot_point(window, 2))
    got = avatars(window)
    assert got["ann"] is not None and got["ann"] is got["cat"]
    assert got["bob"] is None
    assert window.document.undo_stack.count() == 1


def test_picture_data_from_a_browser_is_accepted_on_a_slot_only(window):
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor(250, 120, 0))
    mime = QMimeData()
    mime.setImageData(image)
    drop(window, mime, empty_point(window))
    assert "on a mailbox's slot" in window.avatar_pane.message_text()
    drop(window, mime, slot_point(window, 0))
    avatar = avatars(window)["ann"]
    assert avatar is not None and avatar.width == 200


def test_a_web_address_is_refused_with_a_reason(window):
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/face.jpg")])
    drop(window, mime, slot_point(window, 0))
    assert "save it to a file first" in window.avatar_pane.message_text()
    assert window.document.undo_stack.count() == 0


def test_clear_removes_the_selected_pictures(window, pictures, wait_for_pictures):
    drop(window, files(pictures), empty_point(window))
    wait_for_pictures(window)
    pane = window.avatar_pane
    pane.view.selectionModel().select(
        pane.proxy.index(0, MailboxColumn.AVATAR), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    pane.clear_button.click()
    assert avatars(window)["ann"] is None and avatars(window)["bob"] is not None
    window.document.undo_stack.undo()
    assert avatars(window)["ann"] is not None


def test_thumbnails_load_lazily_and_the_slot_shows_them(qtbot, window, pictures, wait_for_pictures):
    drop(window, files(pictures), empty_point(window))
    wait_for_pictures(window)
    model = window.document.mailboxes
    index = model.index(0, MailboxColumn.AVATAR)
    assert model.data(index, Role.THUMBNAIL) is None  # asked for: queued, not made yet
    qtbot.waitUntil(lambda: isinstance(model.data(index, Role.THUMBNAIL), QPixmap))
    thumbnail = model.data(index, Role.THUMBNAIL)
    assert 0 < thumbnail.width() <= 96
    assert thumbnail.toImage().pixelColor(10, 10).red() > 150  # the red picture of ann@alpha.com
    slot = window.avatar_pane.view.visualRect(
        window.avatar_pane.proxy.index(0, MailboxColumn.AVATAR)
    )
    shot = window.avatar_pane.view.viewport().grab(slot).toImage()
    assert any(
        shot.pixelColor(x, 30).red() > 150 and shot.pixelColor(x, 30).green() < 90
        for x in range(shot.width())
    )


def test_missing_only_filter_and_jumping_to_a_slot(window, pictures, wait_for_pictures):
    drop(window, files(pictures), empty_point(window))
    wait_for_pictures(window)
    pane = window.avatar_pane
    pane.missing_only.setChecked(True)
    assert pane.proxy.rowCount() == 1
    assert pane.select_row(0)  # ann has a picture: the filter is lifted to show her slot
    assert not pane.missing_only.isChecked()
    assert pane.view.currentIndex().data(Role.KEY) == "ann@alpha.com"


def test_saving_does_not_make_the_thumbnails_again(
    qtbot, window, pictures, wait_for_pictures, tmp_path, monkeypatch
):
    from desktop_app.draft import draft_file
    from desktop_app.ui.tables.thumbnails import ThumbnailCache

    drop(window, files(pictures), empty_point(window))
    wait_for_pictures(window)
    model = window.document.mailboxes
    index = model.index(0, MailboxColumn.AVATAR)
    model.data(index, Role.THUMBNAIL)
    qtbot.waitUntil(lambda: isinstance(model.data(index, Role.THUMBNAIL), QPixmap))
    before = window.document.order.mailboxes[0].avatar
    path = tmp_path / "saved.cmrorder"
    draft_file.save(window.document.order, path)  # replaces every avatar object
    after = window.document.order.mailboxes[0].avatar
    assert after is not before and after.digest == before.digest
    made = []
    original = ThumbnailCache._make
    monkeypatch.setattr(
        ThumbnailCache, "_make", lambda self, avatar: made.append(avatar) or original(self, avatar)
    )
    assert isinstance(model.data(index, Role.THUMBNAIL), QPixmap)  # at once, from the cache
    assert made == []
