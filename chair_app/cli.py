"""The `chair-app` command: the desktop window with no arguments, subcommands for everything else.

Every refusal is one line on stderr and exit status 2, with nothing written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

from chair_app import __version__
from chair_app.domain.dates import uk_date
from chair_app.entry import EXIT_REFUSED, guarded


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_REFUSED, f"{self.prog}: {message} (see --help)\n")


def _path(text: str) -> Path:
    """A file or folder named on the command line; an empty name is refused (Path("") would mean ".")."""
    if not text.strip():
        raise argparse.ArgumentTypeError("give a file or folder name, not an empty one")
    return Path(text)


def _d(day: date | None) -> str:
    return uk_date(day, "-")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chair-app",
        description="Chair: the child protection conference chair's desk. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"chair-app {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: CHAIR_DB_URL, else a SQLite file "
        "in your user data folder); e.g. postgresql://user@server/chair",
    )
    parser.add_argument("--policy", metavar="FILE", help="policy TOML file (default: CHAIR_POLICY, else the built-in)")
    parser.add_argument("--demo", action="store_true", help="open a demo database (fictional data) instead of yours")
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="your account, when the database has accounts; the password is asked, or read from CHAIR_PASSWORD "
        "(the demo database signs in as demo-chair, password demo)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("list", help="list conferences, today's and upcoming first")
    p.add_argument("--search", default="", help="family, child, chair or reference")
    p = sub.add_parser("show", help="show one conference with its due dates, quoracy and timeliness")
    p.add_argument("ref", metavar="REF", help="reference from `list` (e.g. C-1A2B3C) or UUID")
    p = sub.add_parser("export", help="write one conference to a conference file")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--out", metavar="FILE", required=True, type=_path)
    p = sub.add_parser(
        "import", help="read conference files: all are validated before anything is written, then all or none stored"
    )
    p.add_argument("files", metavar="FILE", type=_path, nargs="+")
    p.add_argument(
        "--resolve",
        metavar="ID=mine|theirs",
        action="append",
        help="settle one conflict as listed by a refused import (repeatable)",
    )
    p.add_argument("--resolve-all", choices=("mine", "theirs"), help="settle every conflict the same way")
    sub.add_parser("demo", help="add a fictional demo conference")
    p = sub.add_parser("handout", help="the mapping handout (PDF)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--out", metavar="FILE", required=True, type=_path)
    p.add_argument("--per-attendee", action="store_true", help="one personalised, redacted copy per attendee")
    p.add_argument("--large-print", action="store_true", help="A4 portrait, nothing smaller than 16 pt")
    p.add_argument("--a3", action="store_true", help="A3 landscape instead of A4")
    p.add_argument("--for", dest="recipient", metavar="PERSON", help="the copy for one person, by name")
    for name, text in (
        ("plan", "the child protection plan (PDF)"),
        ("record", "the conference record (PDF)"),
        ("letter", "the decision letter to each parent with parental responsibility (PDF)"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("ref", metavar="REF")
        p.add_argument("--out", metavar="FILE", required=True, type=_path)
        p.add_argument("--for", dest="recipient", metavar="PERSON", help="the copy for one person, by name")
    p = sub.add_parser("report", help="the service's measures for a period: CSVs, a workbook, charts and a PDF")
    p.add_argument("--from", dest="start", metavar="DATE", required=True, help="first day, dd/mm/yyyy")
    p.add_argument("--to", dest="end", metavar="DATE", required=True, help="last day, dd/mm/yyyy")
    p.add_argument("--out", metavar="DIR", required=True, type=_path)
    p = sub.add_parser("export-participation", help="SSDA903-style participation rows (CSV) for a period")
    p.add_argument("--from", dest="start", metavar="DATE", required=True)
    p.add_argument("--to", dest="end", metavar="DATE", required=True)
    p.add_argument("--out", metavar="FILE", required=True, type=_path)
    p = sub.add_parser("export-cin", help="CIN census child protection elements (XML, checked against the schema)")
    p.add_argument("--from", dest="start", metavar="DATE", required=True)
    p.add_argument("--to", dest="end", metavar="DATE", required=True)
    p.add_argument("--out", metavar="FILE", required=True, type=_path)
    p = sub.add_parser("policy", help="show the policy in force, or check a policy file")
    psub = p.add_subparsers(dest="policy_command", metavar="show|check", required=True, parser_class=_Parser)
    psub.add_parser("show", help="print the policy in force")
    pc = psub.add_parser("check", help="validate a policy file")
    pc.add_argument("file", metavar="FILE", type=_path)
    _add_journal_parsers(sub)
    _add_backup_parsers(sub)
    _add_continuity_parsers(sub)
    _add_account_parsers(sub)
    _add_clerk_parsers(sub)
    return parser


def _add_backup_parsers(sub) -> None:
    p = sub.add_parser("backup", help="copy the database to a file, safely while Chair is open")
    p.add_argument("--out", metavar="FILE", required=True, type=_path)
    p = sub.add_parser(
        "restore",
        help="replace the database with a backup, after checking it; the old one is kept (an encrypted backup: "
        "--user NAME, whose password must open it)",
    )
    p.add_argument("file", metavar="FILE", type=_path)


def _open(args):
    from chair_app.services.context import open_app_database

    return _sign_in(open_app_database(args.db, demo=args.demo, unlock=lambda: _credentials(args)), args)


def _policy(args):
    from chair_app.services.context import policy_in_force

    return policy_in_force(args.policy)


def cmd_list(args) -> int:
    from chair_app.services.listing import list_conferences, today_first  # Core only: no ORM built

    db = _open(args)
    rows = today_first(list_conferences(db, args.search), date.today())
    if not rows:
        hint = " To try Chair on fictional data, use the demo database: chair-app --demo demo"
        print("No conferences." + (hint if not args.search else ""))
        return 0
    print(f"{'REF':<9} {'DATE':<10} {'TIME':<5} {'MEETING':<20} {'FAMILY':<22} {'CHAIR':<16} RECORD")
    for s in rows:
        print(
            f"{s.ref:<9} {_d(s.held_on):<10} {s.start_time.strftime('%H:%M') if s.start_time else '':<5} "
            f"{s.kind.short_label:<20} {s.family[:22]:<22} {s.chair[:16]:<16} {s.record_status.value.replace('_', ' ')}"
        )
    return 0


def cmd_show(args) -> int:
    from chair_app.services.continuity import continuity, continuity_lines
    from chair_app.services.overview import conference_overview, overview_lines

    db, policy = _open(args), _policy(args)
    ov = conference_overview(db, args.ref, policy, date.today())
    print("\n".join(overview_lines(ov) + continuity_lines(continuity(db, args.ref, policy), policy)))
    return 0


def cmd_export(args) -> int:
    from chair_app.services.conferences import write_export

    bundle = write_export(_open(args), args.ref, args.out)
    print(f"Exported {bundle.conference.ref} (version {bundle.conference.version}) to {args.out}")
    return 0


def cmd_import(args) -> int:
    from chair_app.exchange.conference_file import read_conference_file
    from chair_app.services.conferences import import_conference_files
    from chair_app.services.merge import MergeConflicts, conflict_lines

    policy, today = _policy(args), date.today()
    files = [read_conference_file(path, policy, today) for path in args.files]  # all validated before the database
    db = _open(args)
    try:
        results = import_conference_files(db, files, resolve=args.resolve, resolve_all=args.resolve_all)
    except MergeConflicts as exc:  # the list on stdout, the one-line refusal and hint on stderr
        print("\n".join(conflict_lines(exc.conflicts)))
        sys.stdout.flush()
        raise
    for result in results:
        words = {"added": "Added", "updated": "Updated", "merged": "Merged", "unchanged": "Already up to date:"}
        print(f"{words[result.action]} {result.ref} (version {result.version})")
    from chair_app.services.register import imported_matches

    for child, matches in imported_matches(db, [f.bundle for f in files]):  # suggestions, never merged silently
        print(f"{child.full_name} ({child.id}) may be a child already in the register:")
        for x in matches:
            print(f"  {x.child_id}  {x.line}; if so: chair-app merge-child {x.child_id} {child.id}")
    return 0


def cmd_demo(args) -> int:
    from chair_app.services.demo import create_demo
    from chair_app.services.demo_county import refuse_real_database

    db, policy = _open(args), _policy(args)
    refuse_real_database(db, demo=args.demo)  # fictional people never go beside real conferences
    bundle = create_demo(db, policy, county=True)
    print(
        f"Added demo conference {bundle.conference.ref}: {bundle.family.name}, {_d(bundle.conference.held_on)} "
        "(fictional data), with two years of past conferences of other fictional families for the measures"
    )
    if args.demo:  # the demo database only: fictional accounts with a documented password (docs/accounts.md)
        from chair_app.services.accounts import DEMO_ACCOUNTS, add_demo_accounts

        if add_demo_accounts(db):
            names = ", ".join(name for name, _full, _roles in DEMO_ACCOUNTS)
            print(f"Demo accounts {names}, password demo; --demo signs in as demo-chair unless --user says otherwise")
    return 0


def cmd_backup(args) -> int:
    from chair_app.services.backup import backup_database

    result = backup_database(_open(args), args.out)
    if result.conferences < 0:  # PostgreSQL: pg_dump wrote it
        print(f"Backed up the PostgreSQL database with pg_dump to {result.path} ({result.size:,} bytes)")
    else:
        print(
            f"Backed up {result.conferences} conference{'s' if result.conferences != 1 else ''} to {result.path} "
            f"({result.size / 1e6:.1f} MB, checked, schema {result.revision}) in {result.seconds:.1f} s"
        )
    return 0


def cmd_restore(args) -> int:
    from chair_app.services.backup import database_url, restore_database
    from chair_app.store.engine import open_database

    url = database_url(args.db, demo=args.demo)
    # A database in use that has accounts: only an account allowed to restore may replace it (issue 14).
    current = _in_use_for_restore(args, url)
    try:
        # An encrypted backup or database (issue 14): --user and the password, asked only when needed.
        result = restore_database(url, args.file, credentials=lambda: _credentials(args), db=current)
    finally:
        if current is not None:
            current.dispose()
    if getattr(args, "credentials_given", None):
        from chair_app.services.context import open_app_database

        open_app_database(url, unlock=lambda: args.credentials_given).dispose()  # an older schema brought up to date
    else:
        open_database(url).dispose()  # brings an older backup's schema up to this version
    kept = f"; the database it replaced is kept as {result.kept_aside}" if result.kept_aside else ""
    print(f"Restored {result.conferences} conferences from {args.file} into {result.path}{kept}")
    return 0


def _in_use_for_restore(args, url: str):
    """The database a restore would replace, signed in as ``--user`` when it has accounts, for the role check; None
    when there is none yet or it cannot be opened at all (a damaged file is what a restore is for, and it can
    say nothing of who may replace it)."""
    from chair_app.domain.errors import ChairError
    from chair_app.services.backup import sqlite_path

    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    try:
        return _open(args)
    except ChairError as exc:
        if type(exc) is ChairError:  # the file cannot be opened as a database; refusals are subclasses
            return None
        raise


def cmd_document(args) -> int:
    from chair_app.services import documents
    from chair_app.services.conferences import write_bytes
    from chair_app.services.files import check_target

    check_target(args.out)  # a place that cannot hold the file is refused before any work
    db, policy = _open(args), _policy(args)
    if args.command == "handout":
        made = documents.handout(
            db,
            args.ref,
            policy,
            per_attendee=args.per_attendee,
            large_print=args.large_print,
            a3=args.a3,
            record=None,
            recipient=args.recipient,
        )
    else:
        make = {"plan": documents.cp_plan, "record": documents.conference_record, "letter": documents.decision_letter}
        made = make[args.command](db, args.ref, policy, record=None, recipient=args.recipient)
    write_bytes(args.out, made.pdf)
    documents.record_output(db, made, method="saved")  # only once the file is written
    copies = len(made.copies)
    print(f"Wrote {args.out} ({copies} cop{'ies' if copies != 1 else 'y'})")
    if made.unprintable:
        shown = " ".join(f"U+{ord(ch):04X}" for ch in made.unprintable[:10])
        print(
            f"chair-app: warning: {len(made.unprintable)} character(s) cannot be printed with the bundled font "
            f"and show as boxes: {shown}",
            file=sys.stderr,
        )
    return 0


def cmd_report(args) -> int:
    from chair_app.services.reporting import parse_period, write_report

    period = parse_period(args.start, args.end)
    files = write_report(_open(args), _policy(args), period, args.out)
    print(
        f"Wrote {len(files.csvs)} CSV files, {files.workbook.name}, {len(files.charts)} charts and "
        f"{files.pdf.name} to {files.folder} ({period.label})"
    )
    return 0


def cmd_statutory(args) -> int:
    from chair_app.services import statutory

    period = statutory.parse_period(args.start, args.end)  # not services.reporting's: that imports pandas
    make = statutory.participation_csv if args.command == "export-participation" else statutory.cin_xml
    result = make(_open(args), _policy(args), period, args.out)
    print(result)
    return 0


def cmd_policy(args) -> int:
    from chair_app.rules.policy import load_policy

    if args.policy_command == "check":
        policy = load_policy(args.file)
        print(f'{args.file}: valid policy "{policy.name}"')
        return 0
    policy = load_policy(args.policy)  # not services.context: that imports SQLAlchemy
    print(f"# Policy in force: {policy.name} ({policy.source})")
    print(Path(policy.source).read_text(encoding="utf-8"), end="")
    if policy.sources:  # issue 20: each default with its source
        from chair_app.rules.policy import sources_lines

        print("\n# The defaults in force and where each comes from:")
        print("\n".join(sources_lines(policy)))
    return 0


DOCUMENT_KINDS = {"handout": "HANDOUT", "plan": "CP_PLAN", "record": "RECORD", "letter": "DECISION_LETTER"}

COMMANDS = {
    "list": cmd_list,
    "show": cmd_show,
    "export": cmd_export,
    "import": cmd_import,
    "demo": cmd_demo,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "policy": cmd_policy,
    "handout": cmd_document,
    "plan": cmd_document,
    "record": cmd_document,
    "letter": cmd_document,
    "report": cmd_report,
    "export-participation": cmd_statutory,
    "export-cin": cmd_statutory,
}


def _check_text_arguments(args) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates; refuse them here, not in the database."""
    from chair_app.domain.errors import InvalidInput

    for name, value in vars(args).items():
        if isinstance(value, str) and any("\ud800" <= ch <= "\udfff" for ch in value):
            shown = name.upper() if name in ("ref", "file") else "--" + name.replace("_", "-")
            raise InvalidInput(f"{shown}: contains bytes that are not UTF-8 text; retype it")


def _run(args) -> int:
    _check_text_arguments(args)
    _policy(args)  # a broken --policy or CHAIR_POLICY refuses every command, not only those that use it
    return COMMANDS[args.command](args)


# ---------------------------------------------------------------------------------------------------------
# The journal: history, audit trail, sign-off (issue 11). Kept together so the rest of this file is untouched.


def _add_journal_parsers(sub) -> None:
    p = sub.add_parser("history", help="every change to one conference: who, when, field, before -> after")
    p.add_argument("ref", metavar="REF")
    p = sub.add_parser("audit", help="who opened, saw, printed, exported or imported one conference, and when")
    p.add_argument("ref", metavar="REF")
    p = sub.add_parser("finalise", help="sign a conference record off: from then on only amendments")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--by", metavar="NAME", help="who signs the record off (default: the signed-in account's name)")
    p = sub.add_parser(
        "amend",
        help="amend a finalised record: a note (--text), or a correction of one field (--field ID.FIELD --value)",
    )
    p.add_argument("ref", metavar="REF")
    p.add_argument("--by", metavar="NAME", help="who makes the amendment")
    p.add_argument("--reason", help="why the finalised record needs amending")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--list", action="store_true", help="list the fields an amendment may correct, with ID.FIELD")
    what.add_argument("--text", help="a note: what the record should say")
    what.add_argument(
        "--field",
        metavar="ID.FIELD",
        help="the field to correct: the record's id as `chair-app history` prints it (or conference), a dot, "
        "the field, e.g. 1a2b3c4d.text",
    )
    p.add_argument("--value", help="with --field: the corrected text")
    p = sub.add_parser(
        "setup-app-role",
        help="PostgreSQL: create the role the app connects as (owns nothing; run as the tables' owner)",
    )
    p.add_argument("--role", default="chair_app", help="role name (default chair_app)")


def cmd_history(args) -> int:
    from chair_app.services import journal

    db = _open(args)
    print("\n".join(journal.history_lines(journal.reference(db, args.ref), journal.history(db, args.ref))))
    return 0


def cmd_audit(args) -> int:
    from chair_app.services import journal

    db = _open(args)
    print("\n".join(journal.audit_lines(journal.reference(db, args.ref), journal.audit(db, args.ref))))
    return 0


def cmd_finalise(args) -> int:
    from chair_app.entry import one_line
    from chair_app.services.accounts import who_signs
    from chair_app.services.signoff import NotReady, finalise

    db = _open(args)
    who = args.by or who_signs(db)
    if not who:
        from chair_app.domain.errors import InvalidInput

        raise InvalidInput("--by: give the name of the person signing the record off")
    try:
        conference = finalise(db, args.ref, who=who, policy=_policy(args))
    except NotReady as exc:  # the refusal's one line, then what is missing, one line each
        print(f"chair-app: {one_line(exc.headline)}; put right first:", file=sys.stderr)
        for line in exc.missing:
            print(f"  - {line}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Finalised {conference.ref}, signed off by {conference.signed_off_by}: from now on only amendments")
    return 0


def cmd_amend(args) -> int:
    from chair_app.domain.errors import InvalidInput
    from chair_app.domain.model import short_ref
    from chair_app.services import signoff

    db = _open(args)
    if args.list:
        fields = signoff.amendable(load_for_amend(db, args.ref))
        for f in fields:
            spec = "conference" if f.record_kind == "conference" else f.record.id.hex[:8]
            value = f'"{signoff.shorten(f.value)}"' if f.value else "(empty)"
            print(f"{spec + '.' + f.field_name:<32} {f.label}: {value}")
        return 0
    for option, value in (("--by", args.by), ("--reason", args.reason)):
        if value is None:
            raise InvalidInput(f"{option}: required with --text or --field")
    if args.text is not None:
        if args.value is not None:
            raise InvalidInput("--value: goes with --field; a note is given with --text alone")
        made = signoff.amend(db, args.ref, who=args.by, reason=args.reason, text=args.text)
    else:
        record, dot, field_name = args.field.rpartition(".")
        if not dot or not record or not field_name:
            raise InvalidInput("--field: give the record's id, a dot and the field, e.g. 1a2b3c4d.text")
        if args.value is None:
            raise InvalidInput("--value: give the corrected text for " + args.field)
        made = signoff.amend_field(
            db, args.ref, who=args.by, reason=args.reason, record=record, field_name=field_name, value=args.value
        )
    print(f"Amended {short_ref(made.conference_id)}: {signoff.amendment_line(db, made)}")
    return 0


def load_for_amend(db, ref: str):
    from chair_app.services.conferences import load

    return load(db, ref)


def cmd_setup_app_role(args) -> int:
    from chair_app.services.journal import setup_app_role

    created = setup_app_role(_open(args), args.role)
    print(f"Role {args.role} {'created and ' if created else ''}granted what the app needs (and no more)")
    return 0


COMMANDS.update(
    {
        "history": cmd_history,
        "audit": cmd_audit,
        "finalise": cmd_finalise,
        "amend": cmd_amend,
        "setup-app-role": cmd_setup_app_role,
    }
)


# ---------------------------------------------------------------------------------------------------------
# One family's story across conferences (issue 13). Kept together so the rest of this file is untouched.


def _add_continuity_parsers(sub) -> None:
    p = sub.add_parser(
        "convene", help="convene the review after a conference: same family, children, invitees and chair"
    )
    p.add_argument("ref", metavar="REF")
    p.add_argument("--date", metavar="DATE", help="dd/mm/yyyy (default: the review date set, else the due date)")
    p.add_argument("--by", metavar="NAME", help="who convenes it (default: your login name)")
    p = sub.add_parser("rearrange", help="rearrange a stood-down meeting: the same conference on another date")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--date", metavar="DATE", required=True, help="the new date, dd/mm/yyyy")
    p.add_argument("--by", metavar="NAME", help="who rearranges it (default: your login name)")
    p = sub.add_parser("core-group", help="record a core group meeting on the review it reports to")
    p.add_argument("ref", metavar="REF", help="the review conference (from chair-app convene)")
    p.add_argument("--date", metavar="DATE", required=True, help="when it met, dd/mm/yyyy")
    p.add_argument("--came", default="", help='who came, separated by ";" (e.g. "Kerry Hayes; Amira Shah")')
    p.add_argument("--concerns", default="", help="the group's concerns, in a few words")
    p.add_argument(
        "--progress",
        metavar="N=PROGRESS[:NOTE]",
        action="append",
        default=[],
        help="action N of the plan (as chair-app show numbers them): done, partly or not_done, with a note",
    )
    p.add_argument("--by", metavar="NAME", help="who records it (default: your login name)")
    p = sub.add_parser(
        "caseload", help="a chair's families on a plan: plan length, next review, 9 and 18 month prompts"
    )
    p.add_argument("--chair", metavar="NAME", required=True, help="the chair's name as recorded on conferences")
    p = sub.add_parser("family", help="the family of a conference: its conferences, plans and core groups in order")
    p.add_argument("ref", metavar="REF")
    p = sub.add_parser("find-child", help="look a child up in the register: by local child ID, or name and birth")
    p.add_argument("--forename", default="")
    p.add_argument("--surname", default="")
    p.add_argument("--born", metavar="DATE", help="date of birth (or expected), dd/mm/yyyy")
    p.add_argument("--local-id", dest="local_id", default="", help="the local child ID")
    p = sub.add_parser("merge-child", help="record that two child records are the same child (undo: unmerge-child)")
    p.add_argument("keep", metavar="KEEP", help="the record kept (its id, from find-child)")
    p.add_argument("duplicate", metavar="DUPLICATE", help="the record merged into it")
    p.add_argument("--by", metavar="NAME", help="who merges them (default: your login name)")
    p = sub.add_parser("unmerge-child", help="undo a merge: the record is a child of its own again")
    p.add_argument("child", metavar="CHILD", help="the merged record's id")
    p.add_argument("--by", metavar="NAME", help="who undoes it (default: your login name)")
    _add_family_merge_parsers(sub)


def _date_argument(text: str | None) -> date | None:
    from chair_app.domain.dates import DateNotValid, parse_date
    from chair_app.domain.errors import InvalidInput

    try:
        return parse_date(text) if text is not None else None
    except DateNotValid as exc:
        raise InvalidInput(f"--date: {exc}") from None


def _made(bundle, verb: str) -> None:
    c = bundle.conference
    kids = ", ".join(ch.full_name for ch in bundle.considered_children())
    print(f"{verb} {c.ref}: {c.kind.label}, {_d(c.held_on)}, {bundle.family.name} ({kids}); chair {c.chair or '-'}")
    print(f"  {len(bundle.invitations)} invited as before. Due dates: chair-app show {c.ref}")


def cmd_convene(args) -> int:
    from chair_app.services.continuity import convene_review

    held_on = _date_argument(args.date)
    bundle = convene_review(_open(args), args.ref, _policy(args), who=args.by, held_on=held_on)
    _made(bundle, "Convened")
    return 0


def cmd_rearrange(args) -> int:
    from chair_app.services.continuity import rearrange

    held_on = _date_argument(args.date)
    bundle = rearrange(_open(args), args.ref, held_on, _policy(args), who=args.by)
    _made(bundle, "Rearranged as")
    return 0


def _child_id(text: str, label: str):
    import uuid

    from chair_app.domain.errors import InvalidInput

    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise InvalidInput(f"{label}: give a child's id as find-child prints it, not {text[:40]!r}") from None


def cmd_core_group(args) -> int:
    from chair_app.domain.errors import InvalidInput
    from chair_app.services import conferences
    from chair_app.services.core_groups import ActionProgress, plan_actions, record_core_group

    db, policy = _open(args), _policy(args)
    held_on = _date_argument(args.date)
    actions = plan_actions(conferences.load(db, args.ref))
    progress = []
    for given in args.progress:
        number, _, rest = given.partition("=")
        mark, _, note = rest.partition(":")
        if not number.strip().isdigit() or not 1 <= int(number) <= len(actions):
            raise InvalidInput(
                f"--progress: {given[:40]!r}: give N=done, N=partly or N=not_done, N from 1 to {len(actions)}"
            )
        progress.append(ActionProgress(actions[int(number) - 1].id, mark.strip(), note))
    came = "\n".join(x.strip() for x in args.came.split(";") if x.strip())
    group = record_core_group(
        db, args.ref, held_on, policy, who_came=came, concerns=args.concerns, progress=progress, who=args.by
    )
    print(f"Recorded the core group of {_d(group.held_on)} on {args.ref}; chair-app show {args.ref} lists them")
    return 0


def cmd_caseload(args) -> int:
    from chair_app.services.continuity import caseload

    found = caseload(_open(args), args.chair, _policy(args))
    if not found:
        print(f"No family on a plan has {args.chair} as its chair.")
        return 0
    print(f"{'FAMILY':<22} {'ON A PLAN':<30} {'SINCE':<10} {'MONTHS':>6}  {'NEXT REVIEW':<11} PROMPT")
    for r in found:
        print(
            f"{r.family[:22]:<22} {', '.join(r.children)[:30]:<30} {_d(r.plan_started):<10} {r.months_open:>6}  "
            f"{_d(r.next_review):<11} {r.prompt}"
        )
    return 0


def cmd_family(args) -> int:
    from chair_app.services.register import family_timeline

    family, entries = family_timeline(_open(args), args.ref, _policy(args))
    print(family)
    for e in entries:
        print(f"  {_d(e.on):<10} {e.ref:<9} {e.what}")
    return 0


def cmd_find_child(args) -> int:
    from chair_app.services.register import Wanted, find_child

    born = _date_argument(args.born)
    if born is None and not args.local_id.strip():
        from chair_app.domain.errors import InvalidInput

        raise InvalidInput("find-child: give --local-id, or --surname and --born (a date of birth, dd/mm/yyyy)")
    found = find_child(_open(args), Wanted(args.forename, args.surname, born, args.local_id))
    if not found:
        print("No child in the register matches.")
    for x in found:
        print(f"{x.child_id}  {x.line}")
    return 0


def cmd_merge_child(args) -> int:
    from chair_app.services.register import child_record, merge_children

    db = _open(args)
    keep, duplicate = _child_id(args.keep, "KEEP"), _child_id(args.duplicate, "DUPLICATE")
    merge_children(db, keep, duplicate, who=args.by)
    k, d = child_record(db, keep), child_record(db, duplicate)
    print(f"Merged {d.full_name} ({duplicate}) into {k.full_name} ({keep}); undo: chair-app unmerge-child {duplicate}")
    return 0


def cmd_unmerge_child(args) -> int:
    from chair_app.services.register import child_record, undo_merge

    db = _open(args)
    child = _child_id(args.child, "CHILD")
    undo_merge(db, child, who=args.by)
    print(f"{child_record(db, child).full_name} ({child}) is a child record of its own again")
    return 0


COMMANDS.update(
    {
        "convene": cmd_convene,
        "rearrange": cmd_rearrange,
        "core-group": cmd_core_group,
        "caseload": cmd_caseload,
        "family": cmd_family,
        "find-child": cmd_find_child,
        "merge-child": cmd_merge_child,
        "unmerge-child": cmd_unmerge_child,
    }
)


# Merging two records of one family (issue 13): asked before anything moves; undone with the entry it prints.


def _add_family_merge_parsers(sub) -> None:
    p = sub.add_parser(
        "merge-family", help="two family records are one family: move DROP's conferences and children to KEEP's"
    )
    p.add_argument("keep", metavar="KEEP", help="a conference of the family kept (its reference, as list shows it)")
    p.add_argument("drop", metavar="DROP", help="a conference of the family merged into it")
    p.add_argument("--yes", action="store_true", help="agree without being asked (for scripts)")
    p.add_argument("--by", metavar="NAME", help="who merges them (default: your login name)")
    p = sub.add_parser("unmerge-family", help="undo a family merge: ENTRY is the change merge-family printed")
    p.add_argument("entry", metavar="ENTRY", help="the change's id, as merge-family printed it")
    p.add_argument("--by", metavar="NAME", help="who undoes it (default: your login name)")


def cmd_merge_family(args) -> int:
    from chair_app.domain.errors import InvalidInput
    from chair_app.services.register import family_merge_preview, merge_families

    db = _open(args)
    keep, drop = family_merge_preview(db, args.keep, args.drop)
    if keep.family_id == drop.family_id:
        raise InvalidInput(f"merge: {args.keep} and {args.drop} are conferences of one family ({keep.name}) already")
    if not args.yes:
        if not sys.stdin.isatty():
            raise InvalidInput("merge-family: give --yes to agree, or run it in a terminal to be asked")
        answer = input(
            f"Merge {drop.name} (children: {', '.join(drop.children) or 'none recorded'}) into {keep.name} "
            f"(children: {', '.join(keep.children) or 'none recorded'})? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed")
            return 0
    done = merge_families(db, args.keep, args.drop, who=args.by)
    print(f"{done.line}; undo: chair-app unmerge-family {done.entry}")
    from chair_app.services.register import children_twice

    for child, twice in children_twice(db, args.keep):  # suggestions, never merged silently
        print(f"  {child.full_name} may be recorded twice: if so, chair-app merge-child {child.id} {twice.child_id}")
    return 0


def cmd_unmerge_family(args) -> int:
    import uuid

    from chair_app.domain.errors import InvalidInput
    from chair_app.services.register import undo_family_merge

    try:
        entry = uuid.UUID(args.entry.strip())
    except ValueError:
        raise InvalidInput(f"ENTRY: give the change's id as merge-family printed it, not {args.entry[:40]!r}") from None
    undo_family_merge(_open(args), entry, who=args.by)
    print("The merge is undone: the two families are separate again")
    return 0


COMMANDS.update({"merge-family": cmd_merge_family, "unmerge-family": cmd_unmerge_family})


# ---------------------------------------------------------------------------------------------------------
# Accounts and roles (issue 14): --user, the first administrator, the administrator's commands.


def _add_account_parsers(sub) -> None:
    p = sub.add_parser("setup", help="create the first administrator of a database that has no accounts yet")
    p.add_argument("--name", dest="full_name", default="", help="the full name shown on records (default: the account)")
    p.add_argument("--also", default="", metavar="ROLES", help="more roles for this account, e.g. chair")
    p = sub.add_parser("account", help="accounts: list, add, roles, unlock, switch off, reset or change a password")
    asub = p.add_subparsers(dest="account_command", metavar="ACTION", required=True, parser_class=_Parser)
    asub.add_parser("list", help="every account, its roles and whether it is locked")
    a = asub.add_parser("add", help="add an account (the new password is asked, or read from CHAIR_NEW_PASSWORD)")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--roles", required=True, help="comma-separated: chair, clerk, manager, administrator")
    a.add_argument("--name", dest="full_name", default="", help="the full name shown on records")
    a = asub.add_parser("roles", help="change an account's roles")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--roles", required=True)
    for action, text in (
        ("unlock", "unlock an account locked by wrong passwords"),
        ("disable", "switch an account off"),
    ):
        a = asub.add_parser(action, help=text)
        a.add_argument("name", metavar="NAME")
    a = asub.add_parser("reset-password", help="give an account a new password (asked, or CHAIR_NEW_PASSWORD)")
    a.add_argument("name", metavar="NAME")
    asub.add_parser("password", help="change your own password (CHAIR_PASSWORD, then CHAIR_NEW_PASSWORD or asked)")
    p = sub.add_parser("encrypt", help="encrypt this laptop's database at rest (SQLCipher); the plain copy is removed")
    p.add_argument("--yes", action="store_true", help="agree without being asked (for scripts)")


ENV_NEW_PASSWORD = "CHAIR_NEW_PASSWORD"


def _ask(prompt: str, env: str) -> str:
    """A password from the environment variable, else asked at the terminal (never echoed), else refused."""
    import os

    from chair_app.domain.errors import InvalidInput

    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput(f"password: set {env} or run the command in a terminal to be asked")
    import getpass

    return getpass.getpass(prompt)


def _new_password(env: str = ENV_NEW_PASSWORD) -> str:
    import os

    from chair_app.domain.errors import InvalidInput

    if os.environ.get(env) is not None:
        return os.environ[env]
    first = _ask("New password: ", env)
    if _ask("The new password again: ", env) != first:
        raise InvalidInput("password: the two passwords differ; nothing was changed")
    return first


def _sign_in(db, args):
    """Sign ``--user`` in on a database that has accounts; refuse in one line when that cannot be done."""
    from chair_app.domain.errors import InvalidInput

    user = getattr(args, "user", None)
    if not db.accounts_in_force():  # never had an account: open, as before accounts (docs/accounts.md)
        if user:
            raise InvalidInput(
                "--user: this database has no accounts yet; create the first administrator: chair-app --user NAME setup"
            )
        return db
    from chair_app.services import accounts  # (only now: `list` on a database without accounts builds no ORM)

    user, password = _credentials(args)
    accounts.sign_in(db, _policy(args), user, password)
    return db


def _credentials(args) -> tuple[str, str]:
    """--user and the password (CHAIR_PASSWORD, else asked), once per command: opening an encrypted database
    and signing in both use them. The demo database: demo-chair, password demo, unless told otherwise."""
    from chair_app.services import accounts

    cached = getattr(args, "credentials_given", None)
    if cached:
        return cached
    user = args.user or (accounts.DEMO_CHAIR if args.demo else None)
    if not user:
        raise accounts.NotAllowed(
            "--user: this database has accounts; give --user NAME (the password is asked, or read from CHAIR_PASSWORD)"
        )
    password = accounts.password_from_environment()
    if password is None and args.demo:
        password = accounts.DEMO_PASSWORD
    if password is None:
        password = _ask(f"Password for {user}: ", accounts.ENV_PASSWORD)
    args.credentials_given = (user, password)
    return user, password


def cmd_setup(args) -> int:
    from chair_app.domain.errors import InvalidInput
    from chair_app.services import accounts
    from chair_app.services.context import open_app_database

    if not args.user:
        raise InvalidInput("--user: give the first administrator's account name: chair-app --user NAME setup")
    db = open_app_database(args.db, demo=args.demo)
    if not accounts.needs_first_administrator(db):
        raise accounts.NotAllowed("setup: this database already has accounts; ask an administrator to add yours")
    password = _new_password(accounts.ENV_PASSWORD)
    also = tuple(r for r in args.also.split(",") if r.strip())
    signed = accounts.first_administrator(
        db, _policy(args), name=args.user, full_name=args.full_name, password=password, also=also
    )
    print(f"Created {accounts.describe(signed)}: from now on every command needs --user and a password")
    return 0


def cmd_account(args) -> int:
    from chair_app.rules.access import roles_text
    from chair_app.services import accounts

    db = _open(args)
    action = args.account_command
    if action == "list":
        for a in accounts.list_accounts(db):
            state = " (switched off)" if a.disabled else " (locked)" if a.locked else ""
            print(f"{a.name:<20} {a.full_name[:28]:<28} {roles_text(a.roles)}{state}")
    elif action == "add":
        roles = args.roles.split(",")
        accounts.create_account(
            db,
            name=args.name,
            full_name=args.full_name,
            roles=roles,
            password=_new_password(),
            policy=_policy(args),
        )
        print(f"Added {args.name.strip().lower()}")
    elif action == "roles":
        accounts.set_roles(db, args.name, args.roles.split(","))
        print(f"{args.name} now signs in as {roles_text(set(args.roles.split(',')))}")
    elif action == "unlock":
        accounts.unlock_account(db, args.name)
        print(f"Unlocked {args.name}")
    elif action == "disable":
        accounts.disable_account(db, args.name)
        print(f"Switched off {args.name}")
    elif action == "reset-password":
        accounts.reset_password(db, args.name, _new_password(), _policy(args))
        print(f"New password set for {args.name}; it is unlocked")
    else:
        old = _ask("Current password: ", accounts.ENV_PASSWORD)
        accounts.change_own_password(db, old, _new_password(), _policy(args))
        print("Password changed")
    return 0


def cmd_encrypt(args) -> int:
    from chair_app.domain.errors import InvalidInput
    from chair_app.services.encryption import database_file, encrypt_database

    db = _open(args)
    path = database_file(db)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InvalidInput("encrypt: give --yes to agree, or run it in a terminal to be asked")
        answer = input(
            f"Encrypt {path}? It will open only with an account's password; the plain copy is removed. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed")
            return 0
    _user, password = _credentials(args)
    from chair_app.services.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD

    known = {name: DEMO_PASSWORD for name, _full, _roles in DEMO_ACCOUNTS} if args.demo else None
    done = encrypt_database(db, password, known=known)
    print(f"Encrypted {done.path}: {done.rows} rows in {done.tables} tables; the plain copy is removed")
    print(f"Keep {done.path.name}.keys with the database and its backups: without it the database cannot be opened")
    if done.waiting:
        print(f"Set new passwords for {', '.join(done.waiting)} (chair-app account reset-password NAME) to let them in")
    return 0


COMMANDS.update({"setup": cmd_setup, "account": cmd_account, "encrypt": cmd_encrypt})


# The clerk's desk (issue 14): the queue and distribution.


def _add_clerk_parsers(sub) -> None:
    sub.add_parser("queue", help="the clerk's queue: to type up, awaiting sign-off, to send out, sent; overdue first")
    p = sub.add_parser("distribution", help="what one conference must send out, to whom, by when, and what has gone")
    p.add_argument("ref", metavar="REF")
    p = sub.add_parser("distribute", help="note that a document reached its recipients: how, when, which version")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--document", required=True, choices=("record", "plan", "letter"))
    p.add_argument("--method", required=True, choices=("meeting", "secure-email", "post"))
    p.add_argument("--on", metavar="DATE", required=True, help="the day it was sent or handed over, dd/mm/yyyy")
    p.add_argument(
        "--to", metavar="NAME", action="append", help="a recipient (repeat); default: everyone on the list not sent"
    )
    p.add_argument("--version", type=int, help="the record's version it showed (default: the current one)")
    p = sub.add_parser("agree", help="a manager's agreement to the decisions that need one (e.g. a plan ended early)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--by", metavar="NAME", help="who agrees (default: the signed-in account's name)")


def cmd_queue(args) -> int:
    from chair_app.services.queue import clerk_queue, queue_lines

    today = date.today()
    print("\n".join(queue_lines(clerk_queue(_open(args), _policy(args), today), today)))
    return 0


def cmd_distribution(args) -> int:
    from chair_app.services.distribution import distribution_of

    d = distribution_of(_open(args), args.ref, _policy(args))
    print(f"{d.ref}, held {uk_date(d.held_on)}, record version {d.version} ({d.record_status.value.replace('_', ' ')})")
    for doc in d.documents:
        state = f"sent {uk_date(doc.due.sent_on)}" if doc.due.sent_on else "not sent"
        late = " (late)" if doc.due.late() else " OVERDUE" if doc.due.overdue(date.today()) else ""
        print(f"  {doc.due.words}: due {uk_date(doc.due.due_on)}, {state}{late}")
        for s in doc.sent:
            print(f"    {s.recipient}: {s.method}, {uk_date(s.on)}, version {s.version}")
        if doc.missing:
            print(f"    not yet sent to: {'; '.join(doc.missing)}")
    return 0


def cmd_distribute(args) -> int:
    from chair_app.domain.dates import DateNotValid, parse_date
    from chair_app.domain.errors import InvalidInput
    from chair_app.services.distribution import record_distribution

    try:
        on = parse_date(args.on)
    except DateNotValid as exc:
        raise InvalidInput(f"--on: {exc}") from None
    if on is None:
        raise InvalidInput("--on: give the day it was sent, dd/mm/yyyy")
    names = record_distribution(
        _open(args),
        args.ref,
        _policy(args),
        kind=args.document,
        method=args.method,
        on=on,
        recipients=args.to,
        version=args.version,
    )
    print(f"Noted the {args.document} sent by {args.method.replace('-', ' ')} on {uk_date(on)} to {'; '.join(names)}")
    return 0


def cmd_agree(args) -> int:
    from chair_app.services.agreements import give_agreement

    names = give_agreement(_open(args), args.ref, _policy(args), who=args.by or "")
    print(f"Agreement recorded for {'; '.join(names)}")
    return 0


COMMANDS.update(
    {"queue": cmd_queue, "distribution": cmd_distribution, "distribute": cmd_distribute, "agree": cmd_agree}
)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from chair_app.gui.launch import launch

        return guarded(lambda: launch(args))
    return guarded(lambda: _run(args))
