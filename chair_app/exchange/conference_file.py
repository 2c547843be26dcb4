"""The conference file: one conference, complete, as versioned JSON.

This is how a chair hands a conference to a clerk without a network. The JSON Schema in
``resources/conference-file.schema.json`` is generated from the domain records (``schema()`` below) and a
test keeps the committed copy equal to it. Reading a file validates everything (the schema, then that
every reference inside the file points at a record in it) before the caller writes anything.
"""

from __future__ import annotations

import functools
import json
import typing
import uuid
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time
from enum import Enum
from pathlib import Path
from typing import Any

from chair_app import __version__
from chair_app.domain import model as m
from chair_app.domain.dates import DateNotValid, parse_iso_date
from chair_app.domain.errors import InvalidInput
from chair_app.domain.history import CarriedEntry
from chair_app.domain.values import json_value as _encode
from chair_app.rules import inputs
from chair_app.rules.policy import Policy

FORMAT = "chair-conference"
FORMAT_VERSION = 1
SCHEMA_PATH_NAME = "conference-file.schema.json"

# Bounds beyond type that the schema states (field name -> JSON Schema keywords).
_BOUNDS: dict[str, dict[str, Any]] = {
    "scale": {"minimum": 0, "maximum": 10},
    "score": {"minimum": 0, "maximum": 10},
    "overall_scale": {"minimum": 0, "maximum": 10},
    "version": {"minimum": 1},
    "position": {"minimum": 0},
    "document_version": {"minimum": 1},
}

INT_MAX = 2_147_483_647  # what a PostgreSQL integer column holds
MAX_FILE_BYTES = 200_000_000  # far beyond any one conference (a large one is well under 1 MB)

_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
_TIME_RE = r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"
_STAMP_RE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$"
_UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


# ---------------------------------------------------------------------------------------------------------
# Values


def _stamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _decoder(tp: Any) -> Any:
    """A function turning a JSON value into a value of type ``tp`` (None stays None)."""
    tp, _ = m.optional_type(tp)
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        one = _decoder(item)
        return lambda value: None if value is None else [one(v) for v in value]
    if tp is uuid.UUID:
        convert: Any = uuid.UUID
    elif tp is datetime:
        convert = _stamp
    elif tp is date:
        convert = parse_iso_date
    elif tp is time:
        convert = time.fromisoformat
    elif isinstance(tp, type) and issubclass(tp, Enum):
        convert = tp
    else:
        return lambda value: value
    return lambda value: None if value is None else convert(value)


def record_to_dict(record: m.Record) -> dict[str, Any]:
    return {f.name: _encode(getattr(record, f.name)) for f in fields(record)}


@functools.cache
def _field_decoders(cls: type[m.Record]) -> tuple[tuple[str, Any], ...]:
    """(field name, decoder) of a record class, worked out once per class."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _decoder(hints[f.name])) for f in fields(cls))


_EXPECTED = {
    uuid.UUID: "give an id like 0b5e1f0a-3c1d-4e5f-8a9b-0c1d2e3f4a5b",
    datetime: "give a time stamp as yyyy-mm-ddThh:mm:ssZ",
    date: "give a date as yyyy-mm-dd",
    time: "give a time of day as hh:mm",
}


def _expected(cls: type[m.Record], name: str) -> str:
    tp, _ = m.optional_type(typing.get_type_hints(cls)[name])
    if typing.get_origin(tp) is list:
        (tp,) = typing.get_args(tp)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "give one of " + ", ".join(str(e.value) for e in tp)
    return _EXPECTED.get(tp, "give a value of the right kind")


def record_from_dict(cls: type[m.Record], data: dict[str, Any], where: str) -> m.Record:
    values = {}
    for name, decode in _field_decoders(cls):
        try:
            values[name] = decode(data[name])
        except DateNotValid as exc:
            raise InvalidInput(f"{where}.{name}: {exc}") from None
        except (ValueError, TypeError):
            raise InvalidInput(f"{where}.{name}: {_expected(cls, name)}, not {_shown(data[name])}") from None
    return cls(**values)


def _shown(value: Any) -> str:
    """A value quoted in a message: short, on one line, printable."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=True)[:60]
    text = text if len(text) <= 40 else text[:37] + "..."
    return "".join(ch if ch.isprintable() and not "\ud800" <= ch <= "\udfff" else "?" for ch in text)


# ---------------------------------------------------------------------------------------------------------
# Documents


def bundle_to_document(bundle: m.ConferenceBundle, journal: list[CarriedEntry] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": f"chair-app {__version__}",
        "conference": record_to_dict(bundle.conference),
        "family": record_to_dict(bundle.family),
    }
    for name, _cls in m.BUNDLE_LISTS:
        records = sorted(getattr(bundle, name), key=lambda r: str(r.id))
        doc[name] = [record_to_dict(r) for r in records]
    if journal is not None:
        doc["journal"] = [entry_to_dict(e) for e in journal]
    return doc


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def document_to_bundle(doc: Any, policy: Policy | None = None, today: date | None = None) -> m.ConferenceBundle:
    """Validate a parsed document completely and return the conference it describes (see ``document_to_file``)."""
    return document_to_file(doc, policy, today).bundle


def document_to_file(doc: Any, policy: Policy | None = None, today: date | None = None) -> ConferenceFile:
    """Validate a parsed document completely and return the conference it describes, with its journal.

    Beyond the schema and the references, every value must be one the window would accept: text within the
    field's length, no control characters in names, no birth in the future and (given the policy) a
    conference date inside the policy's limits.
    """
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInput('file: not a Chair conference file (no "format": "chair-conference")')
    version = doc.get("format_version")
    if version != FORMAT_VERSION:
        raise InvalidInput(
            f"file: conference file format version {version!r} is not one this Chair reads "
            f"(it reads version {FORMAT_VERSION}); export it again from a matching version of Chair"
        )
    _fill_added_fields(doc)
    _validate_schema(doc)
    bundle = m.ConferenceBundle(
        conference=record_from_dict(m.Conference, doc["conference"], "conference"),  # type: ignore[arg-type]
        family=record_from_dict(m.Family, doc["family"], "family"),  # type: ignore[arg-type]
    )
    for name, cls in m.BUNDLE_LISTS:
        setattr(bundle, name, [record_from_dict(cls, d, f"{name}[{i}]") for i, d in enumerate(doc[name])])
    check_references(bundle)
    check_values(bundle, policy, today or date.today())
    carried = None
    if "journal" in doc:  # files written before files merged carry none: they import as they always did
        carried = [entry_from_dict(d, f"journal[{i}]") for i, d in enumerate(doc["journal"])]
        check_journal(carried)
    return ConferenceFile(bundle, carried)


# Fields added to format version 1 after files of it were written, with the value an older file means.
# Only these may be absent, and only from the records named: anything else missing is refused by the schema.
ADDED_FIELDS: dict[str, dict[str, Any]] = {
    "documents": {"queue": "", "job_id": "", "pages": None},  # revision 0005: how a document left the app
    # revision 0008: an amendment may correct one field
    "amendments": {"record_kind": "", "record_id": None, "field_name": "", "old_value": "", "new_value": ""},
    # revision 0009_rules (issue 20): a stood-down conference's new date and interim arrangement, a family
    # member's views, dissent within an agency, the secondary category and the reason for the category
    "conference": {"reconvene_on": None, "interim_arrangement": "", "rearranged_from_id": None},
    "invitations": {"views": ""},
    "recommendations": {"dissent": ""},
    # (and, issue 14: a second person's agreement, a dissent's route and clock)
    "decisions": {
        "secondary_category": None,
        "category_reason": "",
        "agreed_by": "",
        "agreed_on": None,
        "agreed_outcome": "",
        "dissent_by": "",
        "dissent_route": "",
        "dissent_raised_on": None,
        # revision 0014: the senior chair's answer to an escalated dissent
        "dissent_answer": "",
        "dissent_answered_by": "",
        "dissent_answered_on": None,
    },
    # revision 0011_continuity (issue 13): the stood-down meeting a conference was rearranged from (on the
    # conference above), the register's merge of two records of one child, and the review's map and plan
    # starting from the last ones
    "children": {"merged_into_id": None},
    "mapping_items": {"carried_from_id": None, "earlier_text": "", "last_time": ""},
    "pairs": {"carried_from_id": None},
    "actions": {"carried_from_id": None, "progress": "", "progress_note": ""},
    # revision 0013_family_merge (issue 13): the register's merge of two records of one family
    "family": {"merged_into_id": None},
}


# Lists added to format version 1 later: an older file has none of them (revision 0010_audience, issue 12).
ADDED_LISTS = ("network", "restrictions", "audience", "core_groups", "core_group_progress")  # 0011: core groups


def _fill_added_fields(doc: dict[str, Any]) -> None:
    if not isinstance(doc, dict):
        return  # not a conference file at all: the schema says so
    for name in ADDED_LISTS:
        doc.setdefault(name, [])
    for name, added in ADDED_FIELDS.items():
        records = doc.get(name)
        if isinstance(records, dict):  # the conference: one record, not a list
            records = [records]
        if isinstance(records, list):
            for record in records:
                if isinstance(record, dict):
                    for field_name, value in added.items():
                        record.setdefault(field_name, value)


def _records(bundle: m.ConferenceBundle) -> typing.Iterator[tuple[str, m.Record]]:
    yield "conference", bundle.conference
    yield "family", bundle.family
    for name, _cls in m.BUNDLE_LISTS:
        for i, record in enumerate(getattr(bundle, name)):
            yield f"{name}[{i}]", record


def check_values(bundle: m.ConferenceBundle, policy: Policy | None, today: date) -> None:
    """What the window refuses, refused in a file too (see ``rules.inputs``)."""
    for where, record in _records(bundle):
        for f in fields(record):
            value = getattr(record, f.name)
            if isinstance(value, str):
                problem = inputs.text_problem(f.name, value)
                if problem:
                    raise InvalidInput(f"{where}.{f.name}: {problem}")
    for i, child in enumerate(bundle.children):
        problem = inputs.birth_problem(child.date_of_birth, today)
        if problem:
            raise InvalidInput(f"children[{i}].date_of_birth: {problem}")
    if policy is not None:
        problem = inputs.conference_date_problem(bundle.conference.held_on, policy, today)
        if problem:
            raise InvalidInput(f"conference.held_on: {problem}")


def read_file(path: Path, policy: Policy | None = None, today: date | None = None) -> m.ConferenceBundle:
    """Read and validate one conference file; every refusal reads "<file>: <where>: <problem and fix>"."""
    return read_conference_file(path, policy, today).bundle


def read_conference_file(path: Path, policy: Policy | None = None, today: date | None = None) -> ConferenceFile:
    """Read and validate one conference file with the journal it carries (None: a file from before merging)."""
    try:
        return _read(path, policy, today)
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {str(exc).removeprefix('file: ')}") from None


def _read(path: Path, policy: Policy | None, today: date | None) -> ConferenceFile:
    try:
        if path.is_dir():
            raise InvalidInput("is a folder: give a file")
        if path.exists() and (path.is_char_device() or path.is_block_device()):
            raise InvalidInput("is a device, not a file: give a conference file")
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInput("does not exist; give the path of a conference file") from None
    except IsADirectoryError:
        raise InvalidInput("is a folder: give a file") from None
    except PermissionError:
        raise InvalidInput("you may not read it; check its permissions") from None
    except OSError as exc:
        raise InvalidInput(f"cannot be read ({exc.strerror or type(exc).__name__}); give a conference file") from None
    if not raw.strip():
        raise InvalidInput("is empty; give a conference file exported by Chair")
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput(f"is larger than {MAX_FILE_BYTES // 1_000_000} MB: it is not one conference")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput("is not UTF-8 text; give a conference file exported by Chair") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise InvalidInput("is nested too deeply to be a conference file; give a file exported by Chair") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python reads
        raise InvalidInput(f"is not a conference file ({_shown(str(exc))})") from None
    return document_to_file(doc, policy, today)


def check_references(bundle: m.ConferenceBundle) -> None:
    """Every id a record points at must be a record in the same file."""
    conf_id = bundle.conference.id
    ids = {
        "family": {bundle.family.id},
        "child": {c.id for c in bundle.children},
        "person": {p.id for p in bundle.people},
        "pair": {p.id for p in bundle.pairs},
        "core group": {g.id for g in bundle.core_groups},  # issue 13
        "plan action": {a.id for a in bundle.actions},
    }
    if bundle.conference.family_id != bundle.family.id:
        raise InvalidInput("conference.family_id: does not match the file's family")
    for name, _cls in m.BUNDLE_LISTS:
        for i, record in enumerate(getattr(bundle, name)):
            where = f"{name}[{i}]"
            for field_name, target in (
                ("family_id", "family"),
                ("child_id", "child"),
                ("person_id", "person"),
                ("about_id", "person"),
                ("said_by", "person"),
                ("pair_id", "pair"),
                ("core_group_id", "core group"),
                ("action_id", "plan action"),
            ):
                value = getattr(record, field_name, None)
                if value is not None and value not in ids[target]:
                    raise InvalidInput(f"{where}.{field_name}: points at a {target} that is not in the file")
            if name != "plan_history" and getattr(record, "conference_id", conf_id) != conf_id:
                raise InvalidInput(f"{where}.conference_id: belongs to another conference")
    for name, _cls in m.BUNDLE_LISTS:
        seen: set[uuid.UUID] = set()
        for i, record in enumerate(getattr(bundle, name)):
            if record.id in seen:
                raise InvalidInput(f"{name}[{i}].id: appears twice in the file")
            seen.add(record.id)


# ---------------------------------------------------------------------------------------------------------
# The journal the file carries (issue 11: files merge by it; see services/merge.py)


@dataclass(frozen=True)
class ConferenceFile:
    """What one file holds: the conference, and its journal (None in a file written before files merged)."""

    bundle: m.ConferenceBundle
    journal: list[CarriedEntry] | None


def entry_to_dict(entry: CarriedEntry) -> dict[str, Any]:
    return {
        "uid": str(entry.uid),
        "at": _encode(entry.at),
        "last_at": _encode(entry.last_at),
        "who": entry.who,
        "device": entry.device,
        "operation": entry.operation,
        "detail": entry.detail,
        "old_values": entry.old_values,
        "new_values": entry.new_values,
    }


def entry_from_dict(data: dict[str, Any], where: str) -> CarriedEntry:
    for name in ("at", "last_at"):
        try:
            _stamp(data[name])
        except ValueError:
            raise InvalidInput(f"{where}.{name}: give a time stamp as yyyy-mm-ddThh:mm:ssZ") from None
    return CarriedEntry(
        uid=uuid.UUID(data["uid"]),
        at=_stamp(data["at"]),
        last_at=_stamp(data["last_at"]),
        who=data["who"],
        device=data["device"],
        operation=data["operation"],
        detail=data["detail"],
        old_values=data["old_values"],
        new_values=data["new_values"],
    )


def check_journal(carried: list[CarriedEntry]) -> None:
    seen: set[uuid.UUID] = set()
    for i, entry in enumerate(carried):
        if entry.uid in seen:
            raise InvalidInput(f"journal[{i}].uid: appears twice in the file")
        seen.add(entry.uid)
        for name in ("who", "device", "operation", "detail"):
            value = getattr(entry, name)
            if any(not ch.isprintable() and ch not in "\t" for ch in value):
                raise InvalidInput(f"journal[{i}].{name}: has control characters; export the file again from Chair")


_KEY_RE = r"^[a-z_]{1,40}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def _entry_schema() -> dict[str, Any]:
    values = {
        "type": "object",
        "propertyNames": {"pattern": _KEY_RE},
        "additionalProperties": {"type": ["object", "null"]},
    }
    props: dict[str, Any] = {
        "uid": {"type": "string", "pattern": _UUID_RE},
        "at": {"type": "string", "pattern": _STAMP_RE},
        "last_at": {"type": "string", "pattern": _STAMP_RE},
        "who": {"type": "string", "maxLength": 200},
        "device": {"type": "string", "maxLength": 36},
        "operation": {"type": "string", "maxLength": 64},
        "detail": {"type": "string", "maxLength": 2000},
        "old_values": values,
        "new_values": values,
    }
    return {"type": "object", "properties": props, "required": sorted(props), "additionalProperties": False}


# ---------------------------------------------------------------------------------------------------------
# Schema


def _type_schema(tp: Any, field_name: str) -> dict[str, Any]:
    """JSON Schema (draft-07) for one field; an optional field also accepts null."""
    tp, optional = m.optional_type(tp)
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        schema: dict[str, Any] = {"type": "array", "items": _type_schema(item, field_name)}
    elif tp is uuid.UUID:
        schema = {"type": "string", "pattern": _UUID_RE}
    elif tp is datetime:
        schema = {"type": "string", "pattern": _STAMP_RE}
    elif tp is date:
        schema = {"type": "string", "pattern": _DATE_RE, "format": "date"}
    elif tp is time:
        schema = {"type": "string", "pattern": _TIME_RE}
    elif isinstance(tp, type) and issubclass(tp, Enum):
        schema = {"type": "string", "enum": [e.value for e in tp]}
    elif tp is bool:
        schema = {"type": "boolean"}
    elif tp is int:
        schema = {"type": "integer", "maximum": INT_MAX, **_BOUNDS.get(field_name, {})}
    elif tp is str:
        schema = {"type": "string"}
    else:  # pragma: no cover - a new field type must be taught here
        raise TypeError(f"{field_name}: no schema for {tp!r}")
    if optional:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def _record_schema(cls: type[m.Record]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props = {f.name: _type_schema(hints[f.name], f.name) for f in fields(cls)}
    return {"type": "object", "properties": props, "required": sorted(props), "additionalProperties": False}


def schema() -> dict[str, Any]:
    defs = {cls.__name__: _record_schema(cls) for cls in (m.Conference, m.Family, *(c for _, c in m.BUNDLE_LISTS))}
    props: dict[str, Any] = {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        "generator": {"type": "string"},
        "conference": {"$ref": "#/definitions/Conference"},
        "family": {"$ref": "#/definitions/Family"},
    }
    for name, cls in m.BUNDLE_LISTS:
        props[name] = {"type": "array", "items": {"$ref": f"#/definitions/{cls.__name__}"}}
    required = sorted(props)  # (the journal came later: a file without one is a file from before merging)
    props["journal"] = {"type": "array", "items": {"$ref": "#/definitions/JournalEntry"}}
    defs["JournalEntry"] = _entry_schema()
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://chair-app.invalid/schemas/conference-file-1.json",
        "title": "Chair conference file, format version 1",
        "description": "One child protection conference, complete, as exported by `chair-app export`.",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
        "definitions": defs,
    }


_validator = None


def _validate_schema(doc: dict[str, Any]) -> None:
    """Validate against the committed schema, compiled to Python once per process (fastjsonschema)."""
    global _validator
    import fastjsonschema

    if _validator is None:
        from chair_app.paths import RESOURCES

        stored = json.loads((RESOURCES / SCHEMA_PATH_NAME).read_text(encoding="utf-8"))
        _validator = fastjsonschema.compile(stored)
    try:
        _validator(doc)
    except fastjsonschema.JsonSchemaValueException as exc:
        name = exc.name or "data"  # e.g. "data.pairs[0].scale"
        place = name.removeprefix("data").lstrip(".") or "file"
        raise InvalidInput(f"{_shown_place(place)}: {_schema_problem(exc)}") from None
    except RecursionError:
        raise InvalidInput("file: is nested too deeply to be a conference file") from None


def _shown_place(place: str) -> str:
    return place if len(place) <= 80 and place.isprintable() else _shown(place)


_PATTERN_WORDS = {
    _DATE_RE: "give a date as yyyy-mm-dd",
    _TIME_RE: "give a time of day as hh:mm",
    _STAMP_RE: "give a time stamp as yyyy-mm-ddThh:mm:ssZ",
    _UUID_RE: "give an id like 0b5e1f0a-3c1d-4e5f-8a9b-0c1d2e3f4a5b",
}
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list [...]",
    "object": "a record {...}",
    "null": "null",
}


def _schema_problem(exc: Any) -> str:
    """What the schema refused, in words (never a regular expression)."""
    rule, value, rule_def = exc.rule, exc.value, exc.rule_definition
    if rule in {"pattern", "format"} and rule_def in (_DATE_RE, "date") and isinstance(value, str):
        try:
            parse_iso_date(value)
        except DateNotValid as impossible:
            return str(impossible)
        return f"give a date as yyyy-mm-dd, not {_shown(value)}"
    if rule in {"pattern", "format"}:
        return f"{_PATTERN_WORDS.get(rule_def, 'give a value of the right form')}, not {_shown(value)}"
    if rule == "type":
        kinds = rule_def if isinstance(rule_def, list) else [rule_def]
        words = " or ".join(_TYPE_WORDS.get(k, k) for k in kinds if k != "null")
        empty = " (or null)" if "null" in kinds else ""
        return f"must be {words}{empty}, not {_shown(value)}"
    if rule == "enum":
        choices = ", ".join(str(c) for c in rule_def if c is not None)
        return f"must be one of {choices}, not {_shown(value)}"
    if rule == "maximum":
        return f"must be at most {rule_def}, not {_shown(value)}"
    if rule == "minimum":
        return f"must be at least {rule_def}, not {_shown(value)}"
    if rule == "required":
        missing = [k for k in rule_def if not isinstance(value, dict) or k not in value]
        return f"is missing {', '.join(missing)}; export the file again from Chair"
    if rule == "additionalProperties":
        extra = sorted(k for k in value if k not in (exc.definition.get("properties") or {}))
        return f"has a field this version of Chair does not know ({_shown(', '.join(extra))}); remove it"
    if rule == "const":
        return f"must be {rule_def!r}"
    message = exc.message.removeprefix(exc.name or "data").strip()
    return _shown(message) if len(message) > 160 else message
