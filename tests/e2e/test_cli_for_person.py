"""`--for PERSON` on each document command (issue 12): Ryan's copies, read back from the files written."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from tests.e2e.test_cli import env, refused, run  # noqa: F401  (env is a fixture)

RYAN_NEVER = ("Freeva", "Beth", "0116 305 4111", "beth.lowry@example.org.uk", "Grandma Sue's and ring 999")


def _text(path) -> str:
    pages = PdfReader(io.BytesIO(path.read_bytes())).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages).replace("\u00a0", " "))


def test_for_ryan_each_document_command_writes_his_copy_without_danielles_support(env, tmp_path):  # noqa: F811
    run(env, "demo")
    ref = re.search(r"^(C-[0-9A-F]{6})\s", run(env, "list").stdout, re.M).group(1)
    for command in ("handout", "plan", "record", "letter"):
        out = tmp_path / f"{command}-ryan.pdf"
        assert "(1 copy)" in run(env, command, ref, "--for", "Ryan Cole", "--out", str(out)).stdout
        text = _text(out)
        assert "Copy for Ryan Cole" in text, command
        for secret in RYAN_NEVER:
            assert secret.casefold() not in text.casefold(), (command, secret)
    chair = tmp_path / "plan-chair.pdf"
    run(env, "plan", ref, "--out", str(chair))
    assert all(secret in _text(chair) for secret in RYAN_NEVER)


def test_for_someone_not_in_the_conference_is_refused_in_one_line(env, tmp_path):  # noqa: F811
    run(env, "demo")
    ref = re.search(r"^(C-[0-9A-F]{6})\s", run(env, "list").stdout, re.M).group(1)
    out = tmp_path / "x.pdf"
    refused(run(env, "record", ref, "--for", "Nobody Here", "--out", str(out), check=False), "for:", "Nobody Here")
    assert not out.exists()
