"""The new-conference form (issue 16, point 6): no default sex, date boxes that show their whole placeholder,
and a message line that never moves the form."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from chair_app.domain.enums import Sex
from chair_app.gui.workspace.create_dialog import CreateConferenceDialog

THEME_PADDING = 2 * (7 + 2)  # the theme's left and right padding and the focused border, in pixels


def open_form(qtbot, db, policy) -> CreateConferenceDialog:
    dialog = CreateConferenceDialog(db, policy, "tester")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_childs_sex_has_no_default_and_unchosen_is_stored_as_not_known(qtbot, sqlite_db, policy):
    dialog = open_form(qtbot, sqlite_db, policy)
    assert dialog.c_sex.currentIndex() == -1 and dialog.c_sex.currentText() == ""
    assert dialog.c_sex.placeholderText() == "Sex"
    dialog.c_forename.setText("Ava")
    dialog.c_dob.setText("01/05/2019")
    dialog.add_child()
    assert dialog.children[-1].sex is Sex.NOT_KNOWN
    dialog.c_forename.setText("Remi")
    dialog.c_dob.setText("01/05/2021")
    dialog.c_sex.setCurrentIndex(dialog.c_sex.findData(Sex.MALE))
    dialog.add_child()
    assert dialog.children[-1].sex is Sex.MALE and dialog.child_list.item(1).text().endswith(", male")
    assert dialog.c_sex.currentIndex() == -1  # the next child starts unchosen again


def test_every_date_and_time_box_shows_its_whole_placeholder(qtbot, sqlite_db, policy):
    dialog = open_form(qtbot, sqlite_db, policy)
    for edit in (dialog.held_on, dialog.start, dialog.c_dob, dialog.c_edd):
        assert isinstance(edit, QLineEdit)
        need = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
        room = edit.width() - THEME_PADDING - edit.textMargins().left() - edit.textMargins().right()
        assert room >= need, (edit.accessibleName(), room, need)


def test_a_message_does_not_move_the_form_under_the_pointer(qtbot, sqlite_db, policy):
    dialog = open_form(qtbot, sqlite_db, policy)
    watched = (dialog.create_button, dialog.p_name, dialog.c_forename, dialog.family)
    before = [w.mapTo(dialog, w.rect().topLeft()) for w in watched]
    dialog.add_child()  # refused: says what a child needs
    qtbot.waitUntil(dialog.message.isVisible)
    assert dialog.message.text()
    dialog.say("Child's date of birth: type a date as dd/mm/yyyy, e.g. 07/03/2019; " * 2)  # a long one too
    qtbot.wait(1)  # let the layout settle (no timing is asserted)
    assert [w.mapTo(dialog, w.rect().topLeft()) for w in watched] == before
    dialog.say("")
    qtbot.wait(1)
    assert dialog.message.isHidden()
    assert [w.mapTo(dialog, w.rect().topLeft()) for w in watched] == before


def test_the_form_is_laid_out_by_its_designer_file_with_each_label_naming_its_box(qtbot, sqlite_db, policy):
    from PySide6.QtWidgets import QLabel

    from chair_app.paths import UI

    dialog = open_form(qtbot, sqlite_db, policy)
    assert (UI / "new_conference.ui").read_text().count("<widget class=") >= 20
    assert dialog.form.objectName() == "NewConferenceForm"  # the Designer form's top widget
    for label, box in (
        ("kind_label", dialog.kind),
        ("held_on_label", dialog.held_on),
        ("venue_label", dialog.venue),
        ("chair_label", dialog.chair),
        ("minute_taker_label", dialog.minute_taker),
        ("family_label", dialog.family),
    ):
        assert dialog.form.findChild(QLabel, label).buddy() is box
    assert [dialog.kind.itemText(i) for i in range(dialog.kind.count())][0] == "Initial child protection conference"
    assert dialog.p_role.count() == len(policy.roles)
    assert dialog.message.objectName() == "formMessage"  # styled as the theme's form message
