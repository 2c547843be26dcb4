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


class PolicyError(ChairError):
    pass


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    group: str
    direct_contact: bool = False
    family: bool = False


@dataclass(frozen=True)
class QuoracyException:
    other_groups_needed: int
    note: str


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
    "decisions_recorded_working_days",
    "exit_planning_review_months",
    "long_plan_months",
)


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
ROLE_SETTINGS = ("label", "group", "direct_contact", "family")
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
    "timescales": dict.fromkeys(TIMESCALE_KEYS),
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
    "decisions": {"no_plan_next_steps": None, "end_reasons": {"*": None}},
    "scales": {
        "higher_is_safer": None,
        "zero_means": None,
        "ten_means": None,
        "escalation_threshold": None,
        "escalation_prompt": None,
    },
    "plan": {"per": None},
}
# Who may do what (rules/access.py): added by issue 14.
from chair_app.rules.access import KNOWN_ACCESS, read_access  # noqa: E402

KNOWN["access"] = KNOWN_ACCESS
from chair_app.rules.agreements import KNOWN_AGREEMENTS, KNOWN_DISSENT, read_agreements, read_dissent  # noqa: E402

KNOWN["agreements"] = KNOWN_AGREEMENTS
KNOWN["dissent"] = KNOWN_DISSENT


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
    )


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
