"""The family network and "not to be shared" restrictions in the Before step (issue 12, point 1)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from chair_app.domain import model as m
from chair_app.domain.enums import Relationship
from chair_app.gui.workspace import ask
from chair_app.services import workspace as wsvc
from tests.gui.test_desk_meeting import add_demo, place, start  # noqa: F401  (place is a fixture)


def _answer(monkeypatch, answers: dict) -> None:
    """The next form dialog is filled in with ``answers`` (by the choices' data or the text) and OK pressed."""

    def exec_(dialog) -> int:
        for key, value in answers.items():
            w = dialog.inputs[key]
            if isinstance(w, QComboBox):
                w.setCurrentIndex(next(i for i in range(w.count()) if w.itemData(i) == value))
            elif isinstance(w, QLineEdit):
                w.setText(value)
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(value)
        dialog._ok()
        return int(dialog.result())

    monkeypatch.setattr(ask.FormDialog, "exec", exec_)


def _person(bundle, name):
    return next(p for p in bundle.people if p.name == name)


def test_the_before_step_shows_the_demos_network_and_restriction(qtbot, sqlite_db, policy, place):  # noqa: F811
    demo = add_demo(sqlite_db, policy, date.today())
    page = start(qtbot, sqlite_db, policy, place, demo.conference.id, "before").workspace.pages["before"]
    box = page.network
    assert box.links_model.rowCount() == len(demo.network) == 8
    rows = {
        tuple(box.links_model.data(box.links_model.index(r, c)) for c in range(4))
        for r in range(box.links_model.rowCount())
    }
    assert ("Mark Hayes", "Kayden Hayes", "Parent with parental responsibility", "No") in rows
    assert ("Ryan Cole", "Baby Hayes", "Parent without parental responsibility", "No") in rows
    restriction = [box.restrictions_model.data(box.restrictions_model.index(0, c)) for c in range(2)]
    assert restriction == ["Danielle Hayes", "Ryan Cole"]


def test_a_restriction_and_a_relationship_are_stored_as_entered_and_a_restriction_needs_a_reason(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
    monkeypatch,
):
    demo = add_demo(sqlite_db, policy, date.today())
    page = start(qtbot, sqlite_db, policy, place, demo.conference.id, "before").workspace.pages["before"]
    box = page.network
    mark, danielle = _person(demo, "Mark Hayes"), _person(demo, "Danielle Hayes")
    _answer(monkeypatch, {"about": danielle.id, "person": mark.id, "details": "her new address", "reason": ""})
    box.add_restriction()
    assert len(wsvc.load(sqlite_db, demo.conference.id).restrictions) == 1  # refused: no reason
    _answer(
        monkeypatch,
        {"about": danielle.id, "person": mark.id, "details": "her new address", "reason": "Mark has threatened her"},
    )
    box.add_restriction()
    stored = wsvc.load(sqlite_db, demo.conference.id).restrictions
    assert {(r.about_id, r.person_id, r.reason) for r in stored} >= {(danielle.id, mark.id, "Mark has threatened her")}
    assert box.restrictions_model.rowCount() == 2

    grace = _person(demo, "Grace Adeyemi")
    baby = next(c for c in demo.children if c.forename == "Baby")
    _answer(
        monkeypatch, {"person": grace.id, "child": baby.id, "relationship": Relationship.FRIEND, "lives_with": False}
    )
    box.add_link()
    links = wsvc.load(sqlite_db, demo.conference.id).network
    assert any(n.person_id == grace.id and n.relationship is Relationship.FRIEND for n in links)
    box.links_view.selectRow(0)
    box.remove_link()
    assert len(wsvc.load(sqlite_db, demo.conference.id).network) == len(links) - 1
    assert isinstance(links[0], m.NetworkLink)
