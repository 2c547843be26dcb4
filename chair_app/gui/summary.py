"""The conference summary as rich text for the main window: headings, tables and words, never colour alone."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from chair_app.domain.dates import uk_date

if TYPE_CHECKING:
    from chair_app.services.overview import Overview


def _d(day) -> str:
    return uk_date(day, "-")


STATUS_MARK = {"Met": "✔ Met", "Missed": "✖ Missed", "Not yet due": "… Not yet due", "Cannot tell": "? Cannot tell"}


def summary_html(ov: Overview) -> str:
    b = ov.bundle
    c = b.conference
    e = escape
    parts = [
        f"<h2>{e(b.family.name)} <span style='font-weight:normal'>· {e(c.ref)}</span></h2>",
        f"<p><b>{e(c.kind.label)}</b><br>{_d(c.held_on)}"
        f"{' at ' + c.start_time.strftime('%H:%M') if c.start_time else ''}, "
        f"{'remote' if c.remote else e(c.venue) or 'venue not recorded'}<br>"
        f"Chair: {e(c.chair or '-')} · Minutes: {e(c.minute_taker or '-')}<br>"
        f"Record: {e(c.record_status.value.replace('_', ' '))} (version {c.version})</p>",
    ]
    mark = "✔" if ov.quoracy.quorate else "⚠"
    parts.append(f"<p class='quoracy'><b>{mark} {e(ov.quoracy.explanation)}</b></p>")
    parts.append("<h3>Children</h3><ul>")
    for k in ov.children:
        voice = next(v for v in b.conference_children if v.child_id == k.child.id)
        line = f"<b>{e(k.child.full_name)}</b> ({e(k.age)})"
        if voice.participation_code:
            line += f", {voice.participation_code.value}"
        if k.decision:
            cat = k.decision.initial_category if k.decision.outcome.value == "plan" else k.decision.latest_category
            line += f": {e(k.decision.outcome.value.replace('_', ' '))}" + (f", {e(cat.label.lower())}" if cat else "")
        notes = [
            n
            for n in (k.code_problem, k.advocacy, k.repeat.explanation if k.repeat else None, *k.decision_problems)
            if n
        ]
        if notes:
            line += "<br>" + "<br>".join(f"<i>{e(n)}</i>" for n in notes)
        parts.append(f"<li>{line}</li>")
    parts.append("</ul><h3>Timescales</h3><table cellspacing='0' cellpadding='3'>")
    for t in ov.timescales:
        extra = " <i>Reason for delay needed.</i>" if t.reason_required else ""
        parts.append(
            f"<tr><td>{e(t.label)}</td><td><b>{e(STATUS_MARK[t.status_word])}</b></td>"
            f"<td>due {_d(t.due)}{', done ' + _d(t.actual) if t.actual else ''}{extra}</td></tr>"
        )
    parts.append("</table>")
    if ov.next_dates:
        parts.append(
            f"<h3>Next dates</h3><p>First core group {_d(c.first_core_group_on)}; next review "
            f"{_d(c.next_review_on)}.<br><i>{e(ov.next_dates.explanation)}</i></p>"
        )
    for text in ov.escalations:
        parts.append(f"<p><b>⚠ {e(text)}</b></p>")
    people = {p.id: p for p in b.people}
    parts.append("<h3>Attendance</h3><table cellspacing='0' cellpadding='3'>")
    for inv in sorted(b.invitations, key=lambda i: i.position):
        p = people[inv.person_id]
        how = f" ({inv.mode.value.replace('_', ' ')})" if inv.mode else ""
        report = ", report" if inv.report_submitted else ""
        parts.append(
            f"<tr><td>{e(p.name)}</td><td>{e(p.role)}</td>"
            f"<td>{e(inv.status.value.replace('_', ' '))}{e(how)}{report}</td></tr>"
        )
    parts.append("</table>")
    return "".join(parts)
