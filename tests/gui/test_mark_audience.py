"""One key on the selected map item marks who may read it, with a visible marker (issue 12, point 2)."""

from __future__ import annotations

from datetime import date

from chair_app.domain.enums import Audience, MappingSection
from chair_app.gui.workspace import audience_marks
from chair_app.gui.workspace.common import select_id
from chair_app.gui.workspace.presentation import room_map, room_text
from chair_app.services import workspace as wsvc
from tests.gui.test_desk_meeting import add_demo, place, start  # noqa: F401  (place is a fixture)


def _strength(bundle, words):
    return next(i for i in bundle.mapping_items if i.section is MappingSection.STRENGTH and words in i.text)


def test_the_key_marks_the_item_professionals_only_shows_a_marker_stores_it_and_undo_takes_it_back(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
    monkeypatch,
):
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "mapping")
    page = window.workspace.pages["mapping"]
    item = _strength(demo, "football")
    select_id(page.section_views[MappingSection.STRENGTH], item.id)
    assert page.item_id == item.id
    monkeypatch.setattr(audience_marks, "ask_reason", lambda _parent, _label: "Kayden asked for it to stay private")
    page.findChild(type(page.actions()[0]), "itemAudience").trigger()  # the key
    menu = page.audience_menu
    labels = [a.text() for a in menu.actions()]
    assert labels[:2] == ["Everyone", "Professionals only"] and "Everyone except Ryan Cole" in labels
    next(a for a in menu.actions() if a.text() == "Professionals only").trigger()
    model = page.section_models[MappingSection.STRENGTH]
    shown = model.data(model.index(model.row_of(item.id), 0))
    assert shown.startswith("[Professionals only] Kayden loves football")
    stored = [a for a in wsvc.load(sqlite_db, demo.conference.id).audience if a.subject_id == item.id]
    assert [(a.audience, a.reason) for a in stored] == [(Audience.PROFESSIONALS, "Kayden asked for it to stay private")]
    # The family members in the room: not projected.
    assert "Kayden loves football" not in room_text(room_map(window.session.bundle, policy))
    assert window.session.undo()  # the journal entry undone in the services, then the stack moves
    assert not [a for a in wsvc.load(sqlite_db, demo.conference.id).audience if a.subject_id == item.id]
    assert not model.data(model.index(model.row_of(item.id), 0)).startswith("[")


def test_not_for_ryan_takes_the_recorded_restrictions_reason_without_asking(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
    monkeypatch,
):
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "mapping")
    page = window.workspace.pages["mapping"]
    item = _strength(demo, "Grandma Sue")
    select_id(page.section_views[MappingSection.STRENGTH], item.id)
    monkeypatch.setattr(audience_marks, "ask_reason", lambda *_a: (_ for _ in ()).throw(AssertionError("asked")))
    page.mark_item()
    next(a for a in page.audience_menu.actions() if a.text() == "Everyone except Ryan Cole").trigger()
    mark = next(a for a in wsvc.load(sqlite_db, demo.conference.id).audience if a.subject_id == item.id)
    restriction = demo.restrictions[0]
    assert mark.audience is Audience.EXCEPT and mark.restriction_id == restriction.id
    assert mark.reason == restriction.reason
    model = page.section_models[MappingSection.STRENGTH]
    assert model.data(model.index(model.row_of(item.id), 0)).startswith("[Not for Ryan Cole] ")


def test_a_mark_without_a_reason_is_refused_in_one_line(sqlite_db, policy):
    from chair_app.domain import model as m
    from chair_app.domain.errors import InvalidInput

    demo = add_demo(sqlite_db, policy, date.today())
    mark = m.AudienceMark(
        conference_id=demo.conference.id,
        subject_id=demo.mapping_items[0].id,
        audience=Audience.PROFESSIONALS,
        reason=" ",
    )
    try:
        wsvc.add_records(sqlite_db, demo.conference.id, [mark], who="Helen Marsh", policy=policy)
    except InvalidInput as exc:
        assert str(exc).startswith("Reason: say why")
    else:
        raise AssertionError("a mark without a reason was stored")


def test_an_item_said_while_a_parent_was_excluded_is_marked_so_and_left_out_of_their_record(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
):
    from chair_app.services import conferences, documents
    from chair_app.services.demo import build_demo
    from tests.integration.test_safe_copies import text_of

    bundle = build_demo(policy, date.today())
    danielle = next(p for p in bundle.people if p.name == "Danielle Hayes")
    next(i for i in bundle.invitations if i.person_id == danielle.id).excluded_from_part = True
    demo = conferences.add_conference(sqlite_db, bundle)
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "mapping")
    page = window.workspace.pages["mapping"]
    item = _strength(demo, "football")
    select_id(page.section_views[MappingSection.STRENGTH], item.id)
    page.mark_item()
    next(a for a in page.audience_menu.actions() if a.text() == "Said while Danielle Hayes was excluded").trigger()
    mark = next(a for a in wsvc.load(sqlite_db, demo.conference.id).audience if a.subject_id == item.id)
    assert mark.audience is Audience.EXCLUDED_PART and mark.person_id == danielle.id
    assert "excluded from part of the meeting" in mark.reason
    ref = demo.conference.ref
    hers = text_of(documents.conference_record(sqlite_db, ref, policy, recipient="Danielle Hayes", record=None).pdf)
    ryans = text_of(documents.conference_record(sqlite_db, ref, policy, recipient="Ryan Cole", record=None).pdf)
    assert "Kayden loves football" not in hers and "Kayden loves football" in ryans


def test_the_same_key_marks_a_danger_statement_and_a_plan_action_each_with_its_marker(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
    monkeypatch,
):
    """Issue 12, point 2: not only map items: the selected danger statement and the selected plan action."""
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "mapping")
    monkeypatch.setattr(audience_marks, "ask_reason", lambda _parent, _label: "Police intelligence, not to be shared")
    mapping = window.workspace.pages["mapping"]
    pair = demo.pairs[0]
    select_id(mapping.pairs_view, pair.id)
    mapping.findChild(type(mapping.actions()[0]), "itemAudience").trigger()
    next(a for a in mapping.audience_menu.actions() if a.text() == "Professionals only").trigger()
    shown = mapping.pairs_model.data(mapping.pairs_model.index(mapping.pairs_model.row_of(pair.id), 0))
    assert shown.startswith("[Professionals only] ")
    window.workspace.go("plan")
    plan = window.workspace.pages["plan"]
    action = demo.actions[0]
    select_id(plan.view, action.id)
    plan.findChild(type(plan.actions()[0]), "actionAudience").trigger()
    next(a for a in plan.audience_menu.actions() if a.text() == "Professionals only").trigger()
    shown = plan.model.data(plan.model.index(plan.model.row_of(action.id), 0))
    assert shown.startswith("[Professionals only] ")
    stored = {a.subject_id: a.audience for a in wsvc.load(sqlite_db, demo.conference.id).audience}
    assert stored[pair.id] is Audience.PROFESSIONALS and stored[action.id] is Audience.PROFESSIONALS
