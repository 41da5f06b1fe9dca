"""The table models: Qt's model rules, editing through undo, and live problem marks."""

from __future__ import annotations

import pytest
from factories import make_png
from PySide6.QtCore import Qt

from desktop_app.order.avatars import avatar_from_bytes
from desktop_app.order.model import DomainEntry, Mailbox
from desktop_app.ui.tables.columns import DomainColumn, MailboxColumn, Role
from desktop_app.ui.tables.commands import InsertRowsCommand, RemoveRowsCommand
from desktop_app.ui.tables.table_view import RowFilterProxy

pytestmark = pytest.mark.gui

EDIT = Qt.ItemDataRole.EditRole


def test_domain_model_passes_the_model_tester(qtmodeltester, document):
    qtmodeltester.check(document.domains, force_py=True)


def test_mailbox_model_passes_the_model_tester(qtmodeltester, document):
    document.order.mailboxes[0].avatar = avatar_from_bytes(make_png())
    document.replace(document.order, None)
    qtmodeltester.check(document.mailboxes, force_py=True)


def test_filter_proxy_passes_the_model_tester(qtmodeltester, document):
    proxy = RowFilterProxy(document.mailboxes)
    proxy.set_filter_text("alpha")
    assert proxy.rowCount() == 2
    qtmodeltester.check(proxy, force_py=True)


def test_an_edit_changes_the_core_object_and_undo_restores_it(qtbot, document):
    model = document.domains
    index = model.index(0, DomainColumn.DOMAIN)
    with qtbot.waitSignal(model.dataChanged):
        assert model.setData(index, "  gamma.net ", EDIT)
    assert document.order.domains[0].domain == "gamma.net"
    assert document.is_modified()
    document.undo_stack.undo()
    assert document.order.domains[0].domain == "alpha.com"
    assert not document.is_modified()
    document.undo_stack.redo()
    assert model.data(index) == "gamma.net"


def test_years_are_numbers_when_they_can_be_and_text_otherwise(document):
    model = document.domains
    index = model.index(0, DomainColumn.YEARS)
    model.setData(index, "3", EDIT)
    assert document.order.domains[0].years == 3
    model.setData(index, "ten", EDIT)
    assert document.order.domains[0].years == "ten"
    assert "Years must be" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None


def test_mask_forwarding_is_a_check_box(document):
    model = document.domains
    index = model.index(1, DomainColumn.MASK_FORWARDING)
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert document.order.domains[1].mask_forwarding is True
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    # Masking without a forward address is only a warning, and the cell says so.
    assert "Warning: Mask forwarding" in model.data(index, Qt.ItemDataRole.ToolTipRole)


def test_typing_an_address_in_username_fills_the_domain_too(document):
    model = document.mailboxes
    model.setData(model.index(0, MailboxColumn.USERNAME), "zed@beta.org", EDIT)
    mailbox = document.order.mailboxes[0]
    assert (mailbox.username, mailbox.domain) == ("zed", "beta.org")
    assert document.undo_stack.count() == 1


def test_a_duplicate_marks_the_other_row_at_once(qtbot, document):
    model = document.mailboxes
    other = model.index(1, MailboxColumn.USERNAME)
    assert model.data(other, Qt.ItemDataRole.ToolTipRole) is None
    with qtbot.waitSignals([model.dataChanged, model.dataChanged]):
        model.setData(model.index(0, MailboxColumn.USERNAME), "BOB", EDIT)
    assert "Duplicate mailbox" in model.data(other, Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(document.problems_changed):
        pass
    assert sum("Duplicate" in p.message for p in document.problems.all_problems()) == 2


def test_renaming_a_domain_warns_its_mailboxes(document):
    document.domains.setData(document.domains.index(1, DomainColumn.DOMAIN), "gamma.org", EDIT)
    tip = document.mailboxes.data(
        document.mailboxes.index(2, MailboxColumn.DOMAIN), Qt.ItemDataRole.ToolTipRole
    )
    assert "not among this order's domains" in tip


def test_renamed_mailbox_keeps_its_picture(document):
    mailbox = document.order.mailboxes[0]
    avatar = avatar_from_bytes(make_png())
    mailbox.avatar = avatar
    model = document.mailboxes
    model.setData(model.index(0, MailboxColumn.USERNAME), "annie", EDIT)
    model.setData(model.index(0, MailboxColumn.DOMAIN), "beta.org", EDIT)
    assert mailbox.avatar is avatar
    assert model.data(model.index(0, MailboxColumn.AVATAR), Role.KEY) == "annie@beta.org"


def test_insert_and_remove_rows_undo_to_the_same_places(document):
    model = document.mailboxes
    order = document.order
    before = list(order.mailboxes)
    added = [Mailbox("alpha.com", f"u{i}", "U", "V") for i in range(3)]
    document.push(InsertRowsCommand(model, added, "Add", row=1))
    assert order.mailboxes[1:4] == added
    document.push(RemoveRowsCommand(model, [before[0], added[1], before[2]], "Remove"))
    assert order.mailboxes == [added[0], added[2], before[1]]
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert order.mailboxes == before


def test_sorting_uses_numbers_for_years(document):
    order = document.order
    order.domains[:] = [
        DomainEntry("a.com", 10),
        DomainEntry("b.com", 9),
        DomainEntry("c.com", "x"),
    ]
    document.replace(order, None)
    proxy = RowFilterProxy(document.domains)
    proxy.sort(DomainColumn.YEARS, Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(r, DomainColumn.DOMAIN).data() for r in range(3)]
    assert shown == ["b.com", "a.com", "c.com"]


def test_filter_needs_every_word(document):
    proxy = RowFilterProxy(document.mailboxes)
    proxy.set_filter_text("alpha bob")
    assert [proxy.index(r, MailboxColumn.USERNAME).data() for r in range(proxy.rowCount())] == [
        "bob"
    ]
    proxy.set_filter_text("")
    assert proxy.rowCount() == 3


def test_the_filter_follows_edits_insertions_removals_and_undo_of_the_rows_it_tests(document):
    proxy = RowFilterProxy(document.mailboxes)
    proxy.set_filter_text("alpha")
    shown = lambda: [proxy.index(r, MailboxColumn.USERNAME).data() for r in range(proxy.rowCount())]  # noqa: E731
    assert shown() == ["ann", "bob"]
    model = document.mailboxes
    model.setData(model.index(0, MailboxColumn.DOMAIN), "gamma.org", EDIT)
    assert shown() == ["bob"]  # edited out of the filter
    model.setData(model.index(2, MailboxColumn.DOMAIN), "alpha.com", EDIT)
    assert sorted(shown()) == ["bob", "cat"]  # and into it
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert shown() == ["ann", "bob"]
    model.insert_objects(3, [Mailbox("alpha.com", "dan")])
    assert shown() == ["ann", "bob", "dan"]
    model.remove_objects([document.order.mailboxes[1]])
    assert shown() == ["ann", "dan"]
    proxy.set_filter_text("alpha dan")
    assert shown() == ["dan"]


def test_a_long_value_shows_whole_on_hover_however_narrow_its_column(qtbot, document):
    from PySide6.QtCore import Qt

    from desktop_app.order.model import DomainEntry

    long_domain = "northwind-outreach-campaigns-europe.com"
    document.order.domains.append(DomainEntry(long_domain, 1))
    model = document.domains
    model.layoutChanged.emit()
    row = len(document.order.domains) - 1
    tip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip is not None and tip.splitlines()[0] == long_domain
    short = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert short is None or document.order.domains[0].domain not in short.splitlines()[:1]
