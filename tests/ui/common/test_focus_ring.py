"""The current cell of a focused table shows a ring of at least 3:1, in every theme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMenu

from desktop_app.ui.common.status_colours import contrast

pytestmark = pytest.mark.gui


def ring_contrast(view, row: int, column: int) -> float:
    index = view.model().index(row, column)
    view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
    view.viewport().repaint()
    QApplication.processEvents()
    rect = view.visualRect(index)
    shot = view.viewport().grab().toImage()
    ring = shot.pixelColor(rect.left() + 1, rect.center().y())
    selected = view.selectionModel().isSelected(index)
    role = QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
    return contrast(ring, view.palette().color(role))


@pytest.mark.parametrize("chosen", ["theme_system", "theme_light", "theme_dark"])
def test_the_current_cell_shows_a_ring_of_3_to_1(qtbot, window, chosen):
    [menu] = [m for m in window.findChildren(QMenu) if m.objectName() == "themeMenu"]
    actions = {a.objectName(): a for a in menu.actions()}
    try:
        actions[chosen].trigger()
        view = window.domains_pane.view
        window.activateWindow()
        view.setFocus()
        qtbot.waitUntil(view.hasFocus)
        view.clearSelection()
        assert ring_contrast(view, 1, 0) >= 3
        view.selectRow(1)
        assert ring_contrast(view, 1, 0) >= 3
    finally:
        actions["theme_system"].trigger()
