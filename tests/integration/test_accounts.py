"""Accounts and roles (issue 14): who may do what, checked where every service passes (Database.unit_of_work)."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from chair_app.domain import model as m
from chair_app.domain.errors import InvalidInput
from chair_app.rules.access import NotAllowed, access_of
from chair_app.rules.policy import PolicyError, default_policy_path, parse_policy
from chair_app.services import accounts, conferences, recording, reporting, signoff
from chair_app.services.demo import create_demo
from chair_app.services.listing import list_conferences
from chair_app.store.engine import open_database, sqlite_url
from chair_app.store.models import JournalTable
from tests.conftest import dump

TODAY = date(2026, 11, 23)
PASSWORD = "correct horse battery"


def _reopen(db):
    """The same database as another process would open it: nobody signed in yet."""
    return open_database(db.engine.url.render_as_string(hide_password=False))


@pytest.fixture
def staffed(db, policy):
    """A database with one conference, then an administrator (also a chair), a clerk and a manager."""
    bundle = create_demo(db, policy, TODAY)
    accounts.first_administrator(db, policy, name="admin", full_name="Ada Admin", password=PASSWORD, also=("chair",))
    accounts.create_account(db, name="clerk", full_name="Colin Clerk", roles=["clerk"], password=PASSWORD)
    accounts.create_account(db, name="manager", full_name="Mo Manager", roles=["manager"], password=PASSWORD)
    accounts.create_account(db, name="chair", full_name="Helen Marsh", roles=["chair"], password=PASSWORD)
    accounts.sign_out(db)
    yield bundle
    # The PostgreSQL database object is shared by the session's tests (emptied between them): leave it as found.
    db.signed_in = None
    db._accounts_in_force = None


def test_a_database_that_never_had_accounts_runs_services_without_anyone_signed_in(db, policy):
    bundle = create_demo(db, policy, TODAY)
    assert accounts.needs_first_administrator(db)
    assert conferences.load(db, bundle.conference.ref).conference.id == bundle.conference.id
    recording.record_delay_reason(db, bundle.conference.id, "record_distributed", "Clerk ill", who="Helen Marsh")


def test_after_the_first_administrator_no_operation_runs_without_a_sign_in(db, policy, staffed):
    other = _reopen(db)
    try:
        for attempt in (
            lambda: list_conferences(other),
            lambda: conferences.load(other, staffed.conference.ref),
            lambda: recording.record_delay_reason(other, staffed.conference.id, "x", "y", who="Helen Marsh"),
        ):
            with pytest.raises(NotAllowed, match="this database has accounts; give --user NAME"):
                attempt()
    finally:
        other.dispose()


def test_first_administrator_is_refused_once_the_database_has_an_account(db, policy, staffed):
    with pytest.raises(NotAllowed, match="already has accounts"):
        accounts.first_administrator(db, policy, name="intruder", full_name="", password=PASSWORD)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("chair", {"load", "record_quorate", "delay", "finalise", "measures"}),
        ("clerk", {"load", "delay"}),
        ("manager", {"load", "measures"}),
        ("admin", {"load", "record_quorate", "delay", "finalise", "measures", "create_account"}),  # also a chair
    ],
)
def test_each_role_may_do_its_operations_and_is_refused_the_rest(db, policy, staffed, who, allowed):
    cid, ref = staffed.conference.id, staffed.conference.ref
    attempts = {
        "load": lambda: conferences.load(db, ref),
        "delay": lambda: recording.record_delay_reason(db, cid, "record_distributed", "Printer broke", who="x"),
        "record_quorate": lambda: recording.record_quorate(db, cid, policy, who="x"),
        "measures": lambda: reporting.load_frames(db),
        "create_account": lambda: accounts.create_account(
            db, name=f"new-{who}", full_name="", roles=["clerk"], password=PASSWORD
        ),
        "finalise": lambda: signoff.finalise(db, ref, who="Helen Marsh"),  # last: it freezes the record
    }
    accounts.sign_in(db, policy, who, PASSWORD)
    for name, attempt in attempts.items():
        if name in allowed:
            try:
                attempt()
            except NotAllowed as exc:  # pragma: no cover - the failure message says which
                raise AssertionError(f"{who} was refused {name}: {exc}") from exc
            except InvalidInput:
                pass  # allowed through the role check; the operation's own rules may still say no (quoracy)
        else:
            before = dump(db)
            with pytest.raises(NotAllowed, match=f"{who} signs in as"):
                attempt()
            assert dump(db) == before, f"{name} refused to {who} changed stored data"


def test_the_journal_names_the_signed_in_account_not_the_name_a_caller_passes(db, policy, staffed):
    accounts.sign_in(db, policy, "clerk", PASSWORD)
    recording.record_delay_reason(db, staffed.conference.id, "record_distributed", "Printer broke", who="Somebody")
    with db.engine.connect() as conn:
        j = JournalTable.c
        last = conn.execute(select(j.who, j.operation).order_by(j.id.desc())).first()
    assert tuple(last) == ("clerk", "record_delay_reason")


def test_a_wrong_password_is_refused_in_one_line_and_signs_no_one_in(db, policy, staffed):
    with pytest.raises(NotAllowed, match="wrong account name or password; 4 more wrong passwords") as caught:
        accounts.sign_in(db, policy, "clerk", "not the password")
    assert "\n" not in str(caught.value)
    assert db.signed_in is None
    with pytest.raises(NotAllowed, match="wrong account name or password"):
        accounts.sign_in(db, policy, "nobody-here", PASSWORD)  # an unknown name gets the same answer


def test_the_shortest_password_is_the_policys_for_new_accounts_resets_and_changes(db, staffed):
    text = default_policy_path().read_text(encoding="utf-8")
    longer = parse_policy(text.replace("password_min_length = 10", "password_min_length = 16"), "p.toml")
    assert access_of(longer).password_min_length == 16
    eleven = "eleven char"
    accounts.sign_in(db, longer, "admin", PASSWORD)
    before = accounts.list_accounts(db)
    with pytest.raises(InvalidInput, match="^password: use at least 16 characters$"):
        accounts.create_account(db, name="newbie", full_name="", roles=["clerk"], password=eleven, policy=longer)
    with pytest.raises(InvalidInput, match="^password: use at least 16 characters$"):
        accounts.reset_password(db, "clerk", eleven, longer)
    with pytest.raises(InvalidInput, match="^password: use at least 16 characters$"):
        accounts.change_own_password(db, PASSWORD, eleven, longer)
    assert accounts.list_accounts(db) == before
    accounts.create_account(db, name="newbie", full_name="", roles=["clerk"], password=eleven + "x" * 5, policy=longer)
    accounts.reset_password(db, "clerk", eleven)  # the default policy's 10 when none is given
    assert accounts.sign_in(db, longer, "clerk", eleven).name == "clerk"


def test_an_account_locks_after_the_policys_failed_attempts_and_an_administrator_unlocks_it(db, staffed):
    text = default_policy_path().read_text(encoding="utf-8")
    strict = parse_policy(text.replace("failed_attempts_before_lock = 5", "failed_attempts_before_lock = 2"), "p.toml")
    assert access_of(strict).failed_attempts_before_lock == 2
    with pytest.raises(NotAllowed, match="1 more wrong password lock"):
        accounts.sign_in(db, strict, "clerk", "wrong one")
    with pytest.raises(NotAllowed, match="is now locked after 2 wrong passwords"):
        accounts.sign_in(db, strict, "clerk", "wrong two")
    with pytest.raises(NotAllowed, match="is locked after 2 wrong passwords; ask an administrator"):
        accounts.sign_in(db, strict, "clerk", PASSWORD)  # even the right password, once locked
    accounts.sign_in(db, strict, "admin", PASSWORD)
    accounts.unlock_account(db, "clerk")
    assert accounts.sign_in(db, strict, "clerk", PASSWORD).name == "clerk"


def test_a_right_password_clears_the_count_of_wrong_ones(db, policy, staffed):
    for _ in range(3):
        with pytest.raises(NotAllowed):
            accounts.sign_in(db, policy, "clerk", "wrong")
    accounts.sign_in(db, policy, "clerk", PASSWORD)
    with pytest.raises(NotAllowed, match="4 more wrong passwords"):
        accounts.sign_in(db, policy, "clerk", "wrong")


def test_an_expired_session_is_refused_until_the_account_signs_in_again(db, policy, staffed):
    hours = access_of(policy).session_hours
    accounts.sign_in(db, policy, "chair", PASSWORD, now=m.utcnow() - timedelta(hours=hours, minutes=1))
    with pytest.raises(NotAllowed, match="chair's session ended at .* sign in again"):
        conferences.load(db, staffed.conference.ref)
    accounts.sign_in(db, policy, "chair", PASSWORD)
    assert conferences.load(db, staffed.conference.ref).conference.id == staffed.conference.id


def test_the_last_administrator_cannot_be_switched_off_or_lose_the_role(db, policy, staffed):
    accounts.sign_in(db, policy, "admin", PASSWORD)
    with pytest.raises(InvalidInput, match="last administrator"):
        accounts.disable_account(db, "admin")
    with pytest.raises(InvalidInput, match="last administrator"):
        accounts.set_roles(db, "admin", ["chair"])


def test_passwords_are_stored_only_as_argon2_hashes(db, policy, staffed):
    with db.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM account").scalars().all()
    assert stored and all(h.startswith("$argon2id$") and PASSWORD not in h for h in stored)


def test_a_policy_naming_an_unknown_role_is_refused():
    with pytest.raises(PolicyError, match=r"access.operations.finalise: 'boss' is not a role"):
        parse_policy(
            default_policy_path().read_text(encoding="utf-8").replace('finalise = ["chair"]', 'finalise = ["boss"]'),
            "p.toml",
        )


def _service_operations() -> set[str]:
    """Every operation name a service passes to unit_of_work or authorise (the function's name by default)."""
    found = set()
    for path in Path("chair_app/services").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("unit_of_work", "authorise"):
                    arg = node.args[0] if node.args else None
                    if arg is None:
                        found.add(func.name.strip("_"))
                    elif isinstance(arg, ast.Constant):
                        found.add(arg.value)
    return found


def test_every_operation_a_service_performs_is_given_roles_by_the_default_policy(policy):
    from chair_app.rules.access import OPEN_OPERATIONS

    # documents._record and journal.note_event name theirs through a variable: these are the values they pass
    # (and services/undo.py its verb, "undo" or "redo")
    named_elsewhere = {"print", "save", "export", "preview", "show", "undo", "redo"}
    missing = sorted((_service_operations() | named_elsewhere) - set(access_of(policy).operations) - OPEN_OPERATIONS)
    assert not missing, f"add these to [access.operations] in resources/policy.toml: {missing}"


def test_the_first_administrator_on_a_sqlite_file_is_kept_for_the_next_opening(tmp_path, policy):
    first = open_database(sqlite_url(tmp_path / "c.db"))
    accounts.first_administrator(first, policy, name="admin", full_name="", password=PASSWORD)
    first.dispose()
    again = open_database(sqlite_url(tmp_path / "c.db"))
    try:
        assert again.accounts_in_force() and again.signed_in is None
    finally:
        again.dispose()


def test_a_clerk_may_undo_typing_but_not_the_chairs_scale(db, policy, staffed):
    """Undo applies an entry's inverse: it needs the roles of the change it undoes, not only undo's own."""
    from chair_app.services import undo, workspace

    cid, pair = staffed.conference.id, staffed.pairs[0]
    accounts.sign_in(db, policy, "chair", PASSWORD)
    recording.record_scale(db, pair.id, 9 if pair.scale != 9 else 8, who="Helen Marsh")  # the chair's alone
    scaled = undo.last_entry()
    accounts.sign_in(db, policy, "clerk", PASSWORD)
    item = staffed.mapping_items[0]
    typed = workspace.set_fields(
        db, cid, m.MappingItem, item.id, {"text": "Typed up by the clerk"}, who="x", policy=policy, seen=None
    )
    before = dump(db)
    with pytest.raises(NotAllowed, match="clerk signs in as"):
        undo.undo(db, scaled, who="x")
    assert dump(db) == before
    undo.undo(db, typed.entry, who="x")  # the clerk's own typing: allowed
    stored = next(i for i in conferences.load(db, staffed.conference.ref).mapping_items if i.id == item.id)
    assert stored.text == item.text
