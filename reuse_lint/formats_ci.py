"""Formats for CI systems: SARIF 2.1.0 (code scanning) and GitHub workflow commands.

Both serve the static (RLxxx) and the dynamic (RTxxx) findings, since they share one type.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import Iterable, TextIO
from urllib.parse import quote

from reuse_lint import __version__
from reuse_lint.diagnostics import Diagnostic, Edit, RuleDoc
from reuse_lint.output import printable

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/reuse-lint/reuse-lint"
SRCROOT = "%SRCROOT%"


def rule_doc(code: str) -> RuleDoc | None:
    """The documentation of a static or a trace rule; None for a code nobody defines."""
    if code.startswith("RT"):
        # Imported only for trace codes: trace.findings itself never imports TensorFlow,
        # but a static run has no reason to load the trace package at all.
        from reuse_lint.trace.findings import RULES

        return RULES.get(code)
    from reuse_lint.rules import rule_by_code

    rule = rule_by_code(code)
    return RuleDoc(rule.CODE, rule.NAME, rule.summary(), rule.doc()) if rule else None


# ----- SARIF ---------------------------------------------------------------------------------

def _uri(path: str) -> dict:
    """Relative paths stay relative to the checkout (%SRCROOT%), which code scanning expects."""
    p = Path(path)
    if p.is_absolute():
        return {"uri": p.as_uri()}
    # From the bytes: a name that is not valid UTF-8 (a lone surrogate here) still has a URI.
    return {"uri": quote(os.fsencode(PurePosixPath(*p.parts).as_posix())), "uriBaseId": SRCROOT}


def _region(line: int, column: int, end_line: int, end_column: int) -> dict:
    # SARIF forbids an end before the start; an empty region is a point.
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _sarif_rule(code: str, fallback_name: str) -> dict:
    doc = rule_doc(code)
    if doc is None:
        return {"id": code, "name": fallback_name, "shortDescription": {"text": fallback_name}}
    return {
        "id": doc.code,
        "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.doc},
        "help": {"text": doc.doc, "markdown": doc.doc},
        "defaultConfiguration": {"level": "error"},
    }


def _replacement(edit: Edit) -> dict:
    return {
        "deletedRegion": _region(edit.line, edit.column, edit.end_line, edit.end_column),
        "insertedContent": {"text": edit.content},
    }


def _sarif_result(d: Diagnostic, index: int) -> dict:
    location = {"physicalLocation": {
        "artifactLocation": _uri(d.path),
        "region": _region(d.line, d.column, d.end_line, d.end_column),
    }}
    if d.cell is not None:
        # A notebook's region counts lines from its cell's first line, not the file's JSON.
        location["properties"] = {"cell": d.cell}
    text = d.message if not d.help else f"{d.message}\nhelp: {d.help}"
    result: dict = {
        "ruleId": d.code,
        "ruleIndex": index,
        "level": "error",
        "message": {"text": text},
        "locations": [location],
    }
    if d.related:
        result["relatedLocations"] = [_sarif_related(i, r) for i, r in enumerate(d.related)]
    if d.fix and d.fix.edits:
        kind = "" if d.fix.safe else " (unsafe)"
        result["fixes"] = [{
            "description": {"text": d.fix.message + kind},
            "artifactChanges": [{
                "artifactLocation": _uri(d.path),
                "replacements": [_replacement(e) for e in d.fix.edits],
            }],
        }]
    return result


def _sarif_related(i: int, r) -> dict:
    related = {
        "id": i,
        "message": {"text": r.message},
        "physicalLocation": {
            "artifactLocation": _uri(r.path),
            "region": _region(r.line, r.column, r.line, r.column),
        },
    }
    if r.cell is not None:
        related["properties"] = {"cell": r.cell}
    return related


def sarif_log(diagnostics: list[Diagnostic], rule_codes: Iterable[str] = ()) -> dict:
    """`rule_codes` are the rules the run selected; codes only found in results are added."""
    names = {d.code: d.name for d in diagnostics}
    codes = list(dict.fromkeys([*rule_codes, *sorted(names)]))
    index = {code: i for i, code in enumerate(codes)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "reuse-lint",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_sarif_rule(code, names.get(code, code)) for code in codes],
            }},
            # Our columns count characters; SARIF's default would be UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "results": [_sarif_result(d, index[d.code]) for d in diagnostics],
        }],
    }


def write_sarif(diagnostics: list[Diagnostic], stream: TextIO, rule_codes: Iterable[str] | None = None) -> None:
    if rule_codes is None:
        from reuse_lint.rules import all_rules

        rule_codes = [r.CODE for r in all_rules()]
    json.dump(sarif_log(diagnostics, rule_codes), stream, indent=2)
    stream.write("\n")


# ----- GitHub workflow commands --------------------------------------------------------------

_DATA_ENCODED = "\r\n"  # a workflow command encodes these itself (%0D, %0A)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(d: Diagnostic) -> str:
    # Escaped for the log as well as for the command: an ESC sequence would reach the reader.
    shown = _escape_property(printable(d.path, keep=_DATA_ENCODED))
    props = [f"file={shown}", f"line={d.line}"]
    if d.cell is not None:
        # GitHub would place a line of a notebook's JSON: the annotation names the cell instead.
        title = _escape_property(f"{d.code} {d.name}")
        text = f"cell {d.cell}:{d.line}:{d.column}: {d.message}" + (f"\nhelp: {d.help}" if d.help else "")
        return f"::error file={shown},title={title}::{_escape_data(printable(text, keep=_DATA_ENCODED))}"
    if d.end_line == d.line:
        # GitHub honours columns only for a one-line annotation.
        props += [f"col={d.column}", f"endLine={d.end_line}", f"endColumn={max(d.end_column, d.column)}"]
    else:
        props += [f"col={d.column}", f"endLine={d.end_line}"]
    props.append(f"title={_escape_property(f'{d.code} {d.name}')}")
    text = d.message if not d.help else f"{d.message}\nhelp: {d.help}"
    return f"::error {','.join(props)}::{_escape_data(printable(text, keep=_DATA_ENCODED))}"


def write_github(diagnostics: list[Diagnostic], stream: TextIO) -> None:
    for d in diagnostics:
        stream.write(github_line(d) + "\n")
