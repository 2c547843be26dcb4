"""Statutory-shaped exports: CIN census child protection elements (XML) and SSDA903-style participation rows.

Built from plain records the service prepares; values Chair does not hold are left out where the schema
allows and never invented. A child the CIN schema cannot describe without an invented value (no local child
ID, no referral date) is left out of the message and named in the result instead.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime

from chair_app.domain.dates import uk_date
from chair_app.paths import RESOURCES

CIN_XSD = RESOURCES / "schemas" / "CIN_schema_2026.xsd"
ETHNICITY_CODES = {
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "REFU",
    "NOBT",
}
REFERRAL_SOURCES = {
    "1A",
    "1B",
    "1C",
    "1D",
    "2A",
    "2B",
    "3A",
    "3B",
    "3C",
    "3D",
    "3E",
    "3F",
    "4",
    "5A",
    "5B",
    "5C",
    "5D",
    "6",
    "7",
    "8",
    "9",
    "10",
}


@dataclass
class CinPlan:
    start: date
    end: date | None
    initial_category: str
    latest_category: str
    previous_plans: int
    reviews: list[date] = field(default_factory=list)


@dataclass
class CinChild:
    la_child_id: str
    upn: str
    birth_date: date | None
    expected_birth_date: date | None
    sex: str  # M, F or U
    ethnicity: str
    disability: bool | None
    referral_date: date
    referral_source: str
    s47_start: date | None
    icpc_target: date | None
    icpc_date: date | None
    plans: list[CinPlan] = field(default_factory=list)


def _d(value: date) -> str:
    return value.isoformat()


def _sub(parent: ET.Element, tag: str, value: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if value is not None:
        element.text = value
    return element


def cin_message(children: list[CinChild], lea_code: str, reference_date: date, made_at: datetime) -> bytes:
    message = ET.Element("Message")
    header = _sub(message, "Header")
    details = _sub(header, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", str(reference_date.year))
    _sub(details, "ReferenceDate", _d(reference_date))
    source = _sub(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", lea_code)
    _sub(source, "SoftwareCode", "Chair")
    _sub(source, "DateTime", made_at.replace(microsecond=0, tzinfo=None).isoformat())
    kids = _sub(message, "Children")
    for c in children:
        child = _sub(kids, "Child")
        ids = _sub(child, "ChildIdentifiers")
        _sub(ids, "LAchildID", c.la_child_id)
        if c.upn:
            _sub(ids, "UPN", c.upn)
        if c.birth_date:
            _sub(ids, "PersonBirthDate", _d(c.birth_date))
        elif c.expected_birth_date:
            _sub(ids, "ExpectedPersonBirthDate", _d(c.expected_birth_date))
        _sub(ids, "Sex", c.sex)
        chars = _sub(child, "ChildCharacteristics")
        _sub(chars, "Ethnicity", c.ethnicity if c.ethnicity in ETHNICITY_CODES else "NOBT")
        if c.disability is False:
            _sub(_sub(chars, "Disabilities"), "Disability", "NONE")
        cin = _sub(child, "CINdetails")
        _sub(cin, "CINreferralDate", _d(c.referral_date))
        _sub(cin, "ReferralSource", c.referral_source)
        if c.icpc_date:
            _sub(cin, "DateOfInitialCPC", _d(c.icpc_date))
        if c.s47_start:
            s47 = _sub(cin, "Section47")
            _sub(s47, "S47ActualStartDate", _d(c.s47_start))
            if c.icpc_target:
                _sub(s47, "InitialCPCtarget", _d(c.icpc_target))
            if c.icpc_date:
                _sub(s47, "DateOfInitialCPC", _d(c.icpc_date))
            _sub(s47, "ICPCnotRequired", "0" if c.icpc_date else "1")
        _sub(cin, "ReferralNFA", "0")  # a conference was convened: the referral was not "no further action"
        for plan in c.plans:
            cpp = _sub(cin, "ChildProtectionPlans")
            _sub(cpp, "CPPstartDate", _d(plan.start))
            if plan.end:
                _sub(cpp, "CPPendDate", _d(plan.end))
            _sub(cpp, "InitialCategoryOfAbuse", plan.initial_category)
            _sub(cpp, "LatestCategoryOfAbuse", plan.latest_category)
            _sub(cpp, "NumberOfPreviousCPP", str(plan.previous_plans))
            if plan.reviews:
                reviews = _sub(cpp, "Reviews")
                for day in plan.reviews:
                    _sub(reviews, "CPPreviewDate", _d(day))
    ET.indent(message)
    return ET.tostring(message, encoding="utf-8", xml_declaration=True)


def schema_problems(xml: bytes) -> list[str]:
    """Every way ``xml`` breaks the DfE schema (empty when it is valid)."""
    import xmlschema

    schema = xmlschema.XMLSchema(str(CIN_XSD))
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(xml.decode("utf-8"))]


@dataclass
class ParticipationRow:
    child: str
    dob: date
    review: date
    code: str


def participation_csv(rows: list[ParticipationRow]) -> str:
    from chair_app.exchange.cells import text_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["CHILD", "DOB", "REVIEW", "REVIEW_CODE"])
    for r in rows:
        writer.writerow([text_cell(r.child), uk_date(r.dob), uk_date(r.review), text_cell(r.code)])
    return out.getvalue()


def referral_source_labels() -> dict[str, str]:
    """The DfE's referral source codes with their wording, read from the CIN census schema itself."""
    import xml.etree.ElementTree as ET

    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    root = ET.parse(CIN_XSD).getroot()
    kind = root.find("xs:simpleType[@name='referralsourcetype']", ns)
    labels = {}
    for item in kind.iterfind(".//xs:enumeration", ns) if kind is not None else ():
        doc = item.find(".//xs:documentation", ns)
        text = " ".join((doc.text or "").split()).lstrip("(") if doc is not None else ""
        head, _, tail = text.partition(" – ") if " – " in text else text.partition(" - ")
        words = head.capitalize() + (": " + tail if tail else "")
        labels[item.get("value")] = words.replace("La services", "Local authority services")
    return labels
