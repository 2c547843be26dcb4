"""The policy: every local number and list the rules use, read from TOML and checked strictly.

A malformed file is refused with the file, the key and what is wrong; there is no silent fallback.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from chair_app.domain.dates import DateNotValid, parse_iso_date
from chair_app.domain.errors import ChairError

ENV_POLICY = "CHAIR_POLICY"
SUBDIVISIONS = ("ENG", "WLS", "SCT", "NIR")
# The kinds of thing the Close step's checklist can say is missing (services/readiness.py). [sign_off] blocking
# names those that stop a record being signed off; the others are shown as warnings only.
SIGN_OFF_GAP_KINDS = (
    "stood_down_reason",
    "attendance",
    "quoracy",
    "mapping",
    "scale",
    "participation",
    "decision",
    "plan",
    "timescales",
    "dissent",
)
SIGN_OFF_BLOCKING_DEFAULT = ("stood_down_reason", "quoracy", "participation", "decision")


class PolicyError(ChairError):
    pass


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    group: str
    direct_contact: bool = False  # with the child or the family
    family: bool = False
    agency: bool = True  # False: an advocate or interpreter, never counted as an agency

    @property
    def counts_as_agency(self) -> bool:
        return self.agency and not self.family


@dataclass(frozen=True)
class QuoracyException:
    other_groups_needed: int
    note: str


@dataclass(frozen=True)
class CategoryRules:
    """[categories]: the secondary category, when a reason is asked for, and what each category means."""

    secondary: bool = True
    reason_for_multiple: bool = True
    reason_for_pairs: tuple[frozenset[str], ...] = ()
    definitions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StandDownRules:
    """[stand_down]: what a stood-down conference must record."""

    interim_arrangement_required: bool = True
    no_new_date_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Policy:
    name: str
    source: str
    subdivision: str
    local_closure_days: tuple[date, ...]
    deadline_roll: str
    meeting_roll: str
    timescales: dict[str, int]
    required_groups: tuple[str, ...]
    other_groups_needed: int
    other_groups_need_direct_contact: bool
    remote_attendance_counts: bool
    written_report_counts: bool
    second_inquorate_may_proceed: bool
    suggest_groups: tuple[str, ...]
    quoracy_exceptions: dict[str, QuoracyException]
    agency_groups: dict[str, str]
    roles: dict[str, Role]
    stood_down_reasons: dict[str, str]
    advocacy_age: int
    advocacy_service: str
    no_plan_next_steps: tuple[str, ...]
    end_reasons: dict[str, str]
    higher_is_safer: bool
    zero_means: str
    ten_means: str
    escalation_threshold: int
    escalation_prompt: str
    plan_per: str
    lea_code: str
    conference_years_back: int
    conference_years_ahead: int
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    backup_reminder_days: int = 7  # [backup] reminder_days: the window reminds when the last backup is older
    # [sign_off] blocking: the checklist's kinds of gap that stop a record being signed off (issue 11).
    sign_off_blocking: tuple[str, ...] = SIGN_OFF_BLOCKING_DEFAULT
    recommendations_one_per: str = "agency"  # [recommendations] one_per: "agency" (the role's group) or "person"
    categories: CategoryRules = field(default_factory=CategoryRules)
    stand_down: StandDownRules = field(default_factory=StandDownRules)
    sources: dict[str, str] = field(default_factory=dict)  # [sources]: where each default comes from
    complaints: str = ""  # [letters] complaints: the complaints route as the decision letter words it

    def role(self, key: str) -> Role | None:
        return self.roles.get(key)

    def group_label(self, group: str) -> str:
        return self.agency_groups.get(group, group)


TIMESCALE_KEYS = (
    "initial_conference_working_days",
    "transfer_in_working_days",
    "first_review_months",
    "review_months",
    "first_core_group_working_days",
    "report_to_parents_initial_working_days",
    "report_to_parents_review_working_days",
    "report_to_chair_initial_working_days",
    "report_to_chair_review_working_days",
    "record_distribution_working_days",
    "plan_distribution_working_days",
    "exit_planning_review_months",
    "long_plan_months",
)
# Timescales added after the first policy files were written: a file without them gets these defaults.
ADDED_TIMESCALES = {
    "record_ceiling_working_days": 10,
    "decision_letter_working_days": 1,
    "reconvened_initial_working_days": 10,
    "reconvened_review_working_days": 20,
}
# Keys no longer read, with why and what to do: a file still holding one is refused with this, not ignored.
RETIRED_KEYS = {
    "timescales.decisions_recorded_working_days": (
        "no longer used: it is the children-in-care review rule, not a conference rule; delete it (the chair's "
        "decision letter has decision_letter_working_days)"
    ),
}
CATEGORY_CODES = ("NEG", "PHY", "EMO", "SAB", "MUL")
# Timescales that need the link between a conference and the one before (issue 13), with the value a policy
# file written before them means: each may be left out. docs/rules.md gives the source of each default.
LINKED_TIMESCALES: dict[str, tuple[int, int]] = {  # key -> (default, highest allowed)
    "core_group_interval_weeks": (6, 26),
    "pre_birth_conference_week": (34, 42),
    "pre_birth_first_review_working_days_after_birth": (20, 120),
    "rearranged_within_days": (90, 365),
}


class _Reader:
    """Reads typed values out of the parsed TOML, naming the file and dotted key in every complaint."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def fail(self, key: str, problem: str) -> PolicyError:
        return PolicyError(f"policy {self.source}: {key}: {problem}")

    def get(self, key: str, kind: type | tuple[type, ...], *, default: Any = ...) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is not ...:
                    return default
                raise self.fail(key, "missing; add it (see resources/policy.toml for the default)")
            node = node[part]
        if kind is int and isinstance(node, bool) or not isinstance(node, kind):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.fail(key, f"must be {_article(names)}, not {_toml(node)}")
        return node

    def count(self, key: str, *, low: int = 0, high: int = 1000, default: Any = ...) -> int:
        value = self.get(key, int, default=default)
        if not low <= value <= high:
            raise self.fail(key, f"must be between {low} and {high}, not {value}")
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list)
        for i, v in enumerate(values):
            if not isinstance(v, str) or not v.strip():
                raise self.fail(f"{key}[{i}]", "must be non-empty text")
        return tuple(values)

    def text_table(self, key: str) -> dict[str, str]:
        table = self.get(key, dict)
        if not table:
            raise self.fail(key, "must list at least one entry")
        for k, v in table.items():
            if not isinstance(v, str) or not v.strip():
                raise self.fail(f"{key}.{k}", "must be non-empty text")
        return dict(table)

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.get(key, str)
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}, not {value!r}")
        return value


def _toml(value: Any) -> str:
    """A value as it was written in the file: "15" in quotes for text, true for a boolean."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "a table"
    return repr(value)


_WORDS = {"int": "a whole number", "str": "text", "bool": "true or false", "list": "a list", "dict": "a table"}


def _article(names: str) -> str:
    """The kind of value in words: "a whole number", "text", "true or false"."""
    return " or ".join(_WORDS.get(name, name) for name in names.split(" or "))


# Every section and key a policy file may have. "*" stands for keys the authority names itself (its own
# agency groups, roles, reasons); the value then says what each entry may hold (None: any value).
ROLE_SETTINGS = ("label", "group", "direct_contact", "family", "agency")
KNOWN: dict[str, Any] = {
    "policy": {"name": None},
    "authority": {"lea_code": None},
    "calendar": {
        "subdivision": None,
        "local_closure_days": None,
        "deadline_on_non_working_day": None,
        "meeting_on_non_working_day": None,
        "conference_years_back": None,
        "conference_years_ahead": None,
    },
    "timescales": dict.fromkeys(
        (*TIMESCALE_KEYS, *ADDED_TIMESCALES, *LINKED_TIMESCALES, "decisions_recorded_working_days")
    ),
    "quoracy": {
        "required_groups": None,
        "other_groups_needed": None,
        "other_groups_need_direct_contact": None,
        "remote_attendance_counts": None,
        "written_report_counts": None,
        "second_inquorate_may_proceed": None,
        "suggest_groups": None,
        "exceptions": {"*": {"other_groups_needed": None, "note": None}},
    },
    "agency_groups": {"*": None},
    "roles": {"*": dict.fromkeys(ROLE_SETTINGS)},
    "stood_down_reasons": {"*": None},
    "participation": {"advocacy_age": None, "advocacy_service": None},
    "backup": {"reminder_days": None},
    "sign_off": {"blocking": None},
    "letters": {"complaints": None},
    "decisions": {"no_plan_next_steps": None, "end_reasons": {"*": None}},
    "scales": {
        "higher_is_safer": None,
        "zero_means": None,
        "ten_means": None,
        "escalation_threshold": None,
        "escalation_prompt": None,
    },
    "plan": {"per": None},
    "recommendations": {"one_per": None},
    "categories": {
        "secondary": None,
        "reason_for_multiple": None,
        "reason_for_pairs": None,
        "definitions": dict.fromkeys(CATEGORY_CODES),
    },
    "stand_down": {"interim_arrangement_required": None, "no_new_date_reasons": None},
    "sources": {"*": None},
}
# Who may do what (rules/access.py): added by issue 14.
from chair_app.rules.access import KNOWN_ACCESS, read_access  # noqa: E402

KNOWN["access"] = KNOWN_ACCESS
from chair_app.rules.agreements import KNOWN_AGREEMENTS, KNOWN_DISSENT, read_agreements, read_dissent  # noqa: E402

KNOWN["agreements"] = KNOWN_AGREEMENTS
KNOWN["dissent"] = KNOWN_DISSENT
from chair_app.rules.encryption import KNOWN_ENCRYPTION, read_encryption  # noqa: E402  (issue 14)

KNOWN["encryption"] = KNOWN_ENCRYPTION


def unknown_key(data: dict[str, Any], known: dict[str, Any] = KNOWN, where: str = "") -> str | None:
    """The first section or key not in ``known``, named with the nearest known name, or None."""
    for key, value in data.items():
        if key in known:
            spec = known[key]
        elif "*" in known:
            spec = known["*"]
        else:
            names = [k for k in known if k != "*"]
            near = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
            hint = f": did you mean {near[0]}?" if near else f"; the known ones are {', '.join(names)}"
            if where:
                return f"unknown key {key} in [{where}]{hint}"
            return f"unknown section [{key}]{hint}"
        if isinstance(spec, dict) and isinstance(value, dict):
            found = unknown_key(value, spec, f"{where}.{key}" if where else key)
            if found:
                return found
    return None


def parse_policy(text: str, source: str) -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"policy {source}: not valid TOML ({exc})") from None
    except RecursionError:
        raise PolicyError(f"policy {source}: nested too deeply to be a policy file") from None
    r = _Reader(data, source)
    stray = unknown_key(data)
    if stray:
        raise PolicyError(f"policy {source}: {stray}")
    for key, why in RETIRED_KEYS.items():
        if r.get(key, object, default=None) is not None:
            raise r.fail(key, why)

    closures = []
    for i, raw in enumerate(r.get("calendar.local_closure_days", list)):
        if isinstance(raw, date):
            closures.append(raw)
            continue
        try:
            closures.append(parse_iso_date(str(raw)))
        except DateNotValid as exc:
            fix = "" if "yyyy-mm-dd" in str(exc) else " (write yyyy-mm-dd)"
            raise r.fail(f"calendar.local_closure_days[{i}]", f"{exc}{fix}") from None

    timescales = {}
    for key in TIMESCALE_KEYS:
        timescales[key] = r.count(f"timescales.{key}", low=0, high=120)
    for key, default in ADDED_TIMESCALES.items():
        timescales[key] = r.count(f"timescales.{key}", low=0, high=120, default=default)
    if timescales["record_ceiling_working_days"] < timescales["record_distribution_working_days"]:
        raise r.fail("timescales.record_ceiling_working_days", "must be at least record_distribution_working_days")
    for key, (default, high) in LINKED_TIMESCALES.items():
        timescales[key] = r.count(f"timescales.{key}", low=1, high=high, default=default)
    if timescales["long_plan_months"] <= timescales["exit_planning_review_months"]:
        raise r.fail("timescales.long_plan_months", "must be more than exit_planning_review_months")

    groups = r.text_table("agency_groups")
    roles: dict[str, Role] = {}
    for key, spec in r.get("roles", dict).items():
        where = f"roles.{key}"
        if not isinstance(spec, dict):
            raise r.fail(where, 'must be a table like { label = "...", group = "..." }')
        role = Role(
            key=key,
            label=r.get(f"{where}.label", str),
            group=r.get(f"{where}.group", str),
            direct_contact=r.get(f"{where}.direct_contact", bool, default=False),
            family=r.get(f"{where}.family", bool, default=False),
            agency=r.get(f"{where}.agency", bool, default=True),
        )
        if role.group not in groups:
            raise r.fail(f"{where}.group", f"{role.group!r} is not in [agency_groups]; add it there or fix the name")
        roles[key] = role

    required = r.text_list("quoracy.required_groups")
    suggest = r.text_list("quoracy.suggest_groups")
    for i, g in enumerate(required):
        if g not in groups:
            raise r.fail(f"quoracy.required_groups[{i}]", f"{g!r} is not in [agency_groups]")
    for i, g in enumerate(suggest):
        if g not in groups:
            raise r.fail(f"quoracy.suggest_groups[{i}]", f"{g!r} is not in [agency_groups]")
    exceptions = {}
    from chair_app.domain.enums import MeetingKind

    for kind in r.get("quoracy.exceptions", dict, default={}):
        if kind not in {k.value for k in MeetingKind}:
            kinds = ", ".join(k.value for k in MeetingKind)
            raise r.fail(f"quoracy.exceptions.{kind}", f"is not a meeting kind ({kinds})")
        exceptions[kind] = QuoracyException(
            other_groups_needed=r.count(f"quoracy.exceptions.{kind}.other_groups_needed", high=10),
            note=r.get(f"quoracy.exceptions.{kind}.note", str),
        )

    read_agreements(data, source)
    read_dissent(data, source)
    read_encryption(data, source)
    read_access(data, source)  # [access]: checked here so that a bad table refuses the policy, not a later click
    threshold = r.count("scales.escalation_threshold", high=10)
    prompt = r.get("scales.escalation_prompt", str)
    try:
        prompt.format(score=0)
    except (KeyError, IndexError, ValueError):
        raise r.fail("scales.escalation_prompt", "may use only {score} as a placeholder") from None

    return Policy(
        name=r.get("policy.name", str),
        source=source,
        subdivision=r.choice("calendar.subdivision", SUBDIVISIONS),
        local_closure_days=tuple(sorted(closures)),
        deadline_roll=r.choice("calendar.deadline_on_non_working_day", ("before", "after")),
        meeting_roll=r.choice("calendar.meeting_on_non_working_day", ("before", "after")),
        timescales=timescales,
        required_groups=required,
        other_groups_needed=r.count("quoracy.other_groups_needed", high=10),
        other_groups_need_direct_contact=r.get("quoracy.other_groups_need_direct_contact", bool),
        remote_attendance_counts=r.get("quoracy.remote_attendance_counts", bool),
        written_report_counts=r.get("quoracy.written_report_counts", bool),
        second_inquorate_may_proceed=r.get("quoracy.second_inquorate_may_proceed", bool),
        suggest_groups=suggest,
        quoracy_exceptions=exceptions,
        agency_groups=groups,
        roles=roles,
        stood_down_reasons=r.text_table("stood_down_reasons"),
        advocacy_age=r.count("participation.advocacy_age", low=4, high=18),
        advocacy_service=r.get("participation.advocacy_service", str),
        no_plan_next_steps=r.text_list("decisions.no_plan_next_steps"),
        end_reasons=r.text_table("decisions.end_reasons"),
        higher_is_safer=r.get("scales.higher_is_safer", bool),
        zero_means=r.get("scales.zero_means", str),
        ten_means=r.get("scales.ten_means", str),
        escalation_threshold=threshold,
        escalation_prompt=prompt,
        plan_per=r.choice("plan.per", ("child", "family")),
        lea_code=_lea(r),
        conference_years_back=r.count("calendar.conference_years_back", low=1, high=100, default=20),
        conference_years_ahead=r.count("calendar.conference_years_ahead", low=1, high=10, default=2),
        raw=data,
        backup_reminder_days=r.count("backup.reminder_days", low=1, high=365) if "backup" in data else 7,
        recommendations_one_per=_one_per(r),
        categories=_categories(r),
        stand_down=_stand_down(r, r.text_table("stood_down_reasons")),
        sources=_sources(r),
        sign_off_blocking=_sign_off_blocking(r) if "sign_off" in data else SIGN_OFF_BLOCKING_DEFAULT,
        complaints=r.get("letters.complaints", str) if "letters" in data else "",
    )


def _sign_off_blocking(r: _Reader) -> tuple[str, ...]:
    values = r.get("sign_off.blocking", list)
    for i, v in enumerate(values):
        if v not in SIGN_OFF_GAP_KINDS:
            raise r.fail(f"sign_off.blocking[{i}]", f"{v!r} is not one of {', '.join(SIGN_OFF_GAP_KINDS)}")
    return tuple(dict.fromkeys(values))


def _one_per(r: _Reader) -> str:
    if "recommendations" not in r.data:
        return "agency"
    return r.choice("recommendations.one_per", ("agency", "person"))


def _categories(r: _Reader) -> CategoryRules:
    """[categories]; a file without the section gets the defaults but no definitions (nothing to show)."""
    if "categories" not in r.data:
        return CategoryRules(reason_for_pairs=(frozenset({"EMO", "NEG"}),))
    pairs = []
    for i, pair in enumerate(r.get("categories.reason_for_pairs", list, default=[])):
        where = f"categories.reason_for_pairs[{i}]"
        singles = [c for c in CATEGORY_CODES if c != "MUL"]
        if not (isinstance(pair, list) and len(pair) == 2 and all(c in singles for c in pair) and pair[0] != pair[1]):
            raise r.fail(where, f'must be two different categories from {", ".join(singles)}, e.g. ["EMO", "NEG"]')
        pairs.append(frozenset(pair))
    definitions = {}
    for code, text in r.get("categories.definitions", dict, default={}).items():
        if not isinstance(text, str) or not text.strip():
            raise r.fail(f"categories.definitions.{code}", "must be non-empty text")
        definitions[code] = text.strip()
    return CategoryRules(
        secondary=r.get("categories.secondary", bool, default=True),
        reason_for_multiple=r.get("categories.reason_for_multiple", bool, default=True),
        reason_for_pairs=tuple(pairs),
        definitions=definitions,
    )


def _stand_down(r: _Reader, reasons: dict[str, str]) -> StandDownRules:
    if "stand_down" not in r.data:
        return StandDownRules()
    no_date = r.text_list("stand_down.no_new_date_reasons") if "no_new_date_reasons" in r.data["stand_down"] else ()
    for i, key in enumerate(no_date):
        if key not in reasons:
            raise r.fail(f"stand_down.no_new_date_reasons[{i}]", f"{key!r} is not in [stood_down_reasons]")
    return StandDownRules(
        interim_arrangement_required=r.get("stand_down.interim_arrangement_required", bool, default=True),
        no_new_date_reasons=no_date,
    )


def _sources(r: _Reader) -> dict[str, str]:
    sources = r.get("sources", dict, default={})
    for key, text in sources.items():
        if not isinstance(text, str) or not text.strip():
            raise r.fail(f"sources.{key}", "must be non-empty text")
    return dict(sources)


def _lea(r: _Reader) -> str:
    code = r.get("authority.lea_code", str)
    if not (len(code) == 3 and code.isdigit()):
        raise r.fail("authority.lea_code", f"must be the three-digit DfE code, not {code!r}")
    return code


def default_policy_path() -> Path:
    from chair_app.paths import RESOURCES

    return RESOURCES / "policy.toml"


def load_policy(path: Path | str | None = None) -> Policy:
    """The policy in force: the file given, else CHAIR_POLICY, else the bundled default."""
    chosen = Path(path) if path else Path(os.environ[ENV_POLICY]) if os.environ.get(ENV_POLICY) else None
    target = chosen or default_policy_path()
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"policy {target}: file does not exist; give the path of a policy TOML file") from None
    except IsADirectoryError:
        raise PolicyError(f"policy {target}: is a folder: give a policy TOML file") from None
    except UnicodeDecodeError:
        raise PolicyError(f"policy {target}: is not UTF-8 text; give a policy TOML file") from None
    except OSError as exc:
        raise PolicyError(f"policy {target}: cannot read it ({type(exc).__name__})") from None
    if not text.strip():
        raise PolicyError(f"policy {target}: is empty; give a policy TOML file (start from resources/policy.toml)")
    return parse_policy(text, str(target))


def _shown(value: Any) -> str:
    """A policy value as TOML writes it, tables inline: what `policy show` prints beside its source."""
    if isinstance(value, dict) and any(isinstance(v, str) and len(v) > 60 for v in value.values()):
        return "texts for " + ", ".join(value)  # e.g. the categories' definitions: printed in full above
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_shown(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, str) and len(value) > 60:
        return _toml(value[:57] + "...")
    return _toml(value)


def sources_lines(policy: Policy) -> list[str]:
    """Each setting [sources] names, with the value in force and where the default comes from, as TOML comments
    (so `chair-app policy show` stays a policy file a person can copy)."""
    lines = []
    for key, source in policy.sources.items():
        node: Any = policy.raw
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        value = "(not set in this file: the built-in default)" if node is None else _shown(node)
        lines += [f"#   {key} = {value}", f"#     source: {source}"]
    return lines
