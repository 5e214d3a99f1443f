"""Command line: argument parsing, output formats and exit codes. No analysis lives here.

Exit codes: 0 no findings, 1 findings, 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import os
import re
import sys

from reuse_lint import __version__
from reuse_lint.paths import shown

SUBCOMMANDS = ("check", "rule", "clean", "trace", "gan", "server")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A problem with what the user asked for: one line on stderr, exit 2."""


def _fail(message: str) -> int:
    sys.stderr.write(f"reuse-lint: error: {_printable(message)}\n")
    return EXIT_ERROR


class Parser(argparse.ArgumentParser):
    """argparse that answers a mistake as ruff does: one error line and a tip, not the
    whole usage text (`--help` still prints it)."""

    def error(self, message: str):
        unknown = re.match(r"unrecognized arguments: (\S+)", message)
        tip = f"for more information, try '{self.prog} --help'"
        if unknown:
            word = unknown.group(1)
            message = f"unexpected argument '{word}' found"
            options = [o for a in self._actions for o in a.option_strings]
            close = difflib.get_close_matches(word.split("=", 1)[0], options, n=1, cutoff=0.75)
            if close:
                tip = f"a similar argument exists: '{close[0]}'"
            elif word.startswith("-"):
                tip = f"to pass '{word}' as a value, use '-- {word}'"
        self.exit(EXIT_ERROR, f"reuse-lint: error: {message}\n  tip: {tip}\n")


def _printable(message: str) -> str:
    from reuse_lint.output import printable

    return printable(message)


def _check_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="reuse-lint check",
        description="Lint Python files for TensorFlow variable-sharing bugs.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    p.add_argument("--select", help="comma-separated rule codes or prefixes to enable")
    p.add_argument("--extend-select", help="codes to enable on top of the selection")
    p.add_argument("--ignore", help="comma-separated rule codes or prefixes to disable")
    p.add_argument("--output-format", choices=("full", "concise", "json", "sarif", "github"))
    p.add_argument("--fix", action="store_true", help="apply safe fixes")
    p.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    p.add_argument("--diff", action="store_true", help="print the fixes as a diff; write nothing")
    p.add_argument("-o", "--output-file", help="write the report to this file instead of standard output")
    p.add_argument("--statistics", action="store_true", help="print counts per rule")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    p.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument("--stdin-filename", help="the name to report for source read from '-'")
    p.add_argument("--exclude", help="comma-separated glob patterns to skip, instead of the configured ones")
    p.add_argument("--extend-exclude", help="comma-separated glob patterns to skip, on top of the configured ones")
    p.add_argument("--force-exclude", action="store_true",
                   help="apply exclude to files named on the command line too (for pre-commit)")
    p.add_argument("--config", help="a pyproject.toml to read instead of the nearest one")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    return p


def _rule_main(argv: list[str]) -> int:
    from reuse_lint.rules import all_rules, rule_by_code

    p = Parser(prog="reuse-lint rule", description="Show a rule's documentation.")
    p.add_argument("code", nargs="?", help="a rule code (RL101) or name")
    p.add_argument("--all", action="store_true", help="list every rule")
    args = p.parse_args(argv)
    if args.all or not args.code:
        for rule in all_rules():
            fix = "fix" if rule.FIXABLE else "   "
            sys.stdout.write(f"{rule.CODE}  {fix}  {rule.NAME:34}  {rule.summary()}\n")
        # The trace's findings (their module imports no TensorFlow).
        from reuse_lint.trace.findings import RULES

        for found in RULES.values():
            sys.stdout.write(f"{found.code}  {'   '}  {found.name:34}  {found.summary}\n")
        return EXIT_CLEAN
    from reuse_lint.formats_ci import rule_doc

    code = args.code.strip()
    rule = rule_by_code(code)
    doc = rule_doc(rule.CODE if rule else code.upper())
    if doc is None:
        return _fail(f"unknown rule {args.code!r} (see `reuse-lint rule --all`)")
    sys.stdout.write(f"# {doc.name} ({doc.code})\n\n{doc.doc}\n")
    return EXIT_CLEAN


def _clean_main(argv: list[str]) -> int:
    from reuse_lint import runner

    p = Parser(prog="reuse-lint clean", description="Remove the cache of a project.")
    p.add_argument("path", nargs="?", default=".", help="a file or folder of the project (default: .)")
    args = p.parse_args(argv)
    if not os.path.exists(args.path):
        return _fail(f"{shown(args.path)}: no such file or directory")
    try:
        removed = runner.clean_cache(args.path)
    except OSError as exc:
        return _fail(f"cannot remove the cache: {exc.strerror or exc}")
    sys.stdout.write(f"Removed {shown(removed)}\n" if removed else "No cache to remove\n")
    return EXIT_CLEAN


def _server_main(argv: list[str]) -> int:
    if importlib.util.find_spec("pygls") is None or importlib.util.find_spec("lsprotocol") is None:
        return _fail("`reuse-lint server` needs pygls; install the extra: pip install 'reuse-lint[server]'")
    from reuse_lint.lsp.server import main as server_main

    return server_main(argv)


def _needs_tensorflow(command: str) -> str | None:
    if importlib.util.find_spec("tensorflow") is None:
        return (
            f"`reuse-lint {command}` needs TensorFlow; install the extra: "
            "pip install 'reuse-lint[tf]'"
        )
    return None


def _check_main(argv: list[str]) -> int:
    from reuse_lint import runner

    args = _check_parser().parse_args(argv)
    try:
        settings = runner.settings_from_args(args)
        result = runner.run(settings)
    except runner.ConfigError as exc:
        return _fail(str(exc))
    except UsageError as exc:
        return _fail(str(exc))

    for message in result.errors:
        sys.stderr.write(f"reuse-lint: error: {_printable(message)}\n")
    for folder in result.empty:
        sys.stderr.write(f"reuse-lint: warning: no Python files found under {_printable(folder)}\n")
    if args.output_file:
        try:
            with open(args.output_file, "w", encoding="utf-8") as out:
                _report(result, settings, out)
        except OSError as exc:
            return _fail(f"{args.output_file}: cannot write: {exc.strerror or exc}")
    else:
        _report(result, settings, sys.stdout)
    if result.errors:
        return EXIT_ERROR
    if settings.exit_zero:
        return EXIT_CLEAN
    if settings.diff:
        return EXIT_FINDINGS if result.diff_text else EXIT_CLEAN
    return EXIT_FINDINGS if result.diagnostics else EXIT_CLEAN


def _report(result, settings, out) -> None:
    from reuse_lint import output

    if settings.diff:
        out.write(result.diff_text)
    elif settings.statistics:
        # Only the counts, as ruff prints them; `json` keeps them parseable.
        output.statistics(result.diagnostics, out, as_json=settings.output_format == "json")
    else:
        output.render(
            result.diagnostics, settings.output_format, out,
            sources=result.source_lines, rule_codes=result.rule_codes,
        )
        # Never "All checks passed!" beside an error or a folder that held nothing to check.
        would_mislead = not result.diagnostics and not result.fixed and (result.errors or result.empty)
        if settings.output_format in ("full", "concise") and not settings.quiet and not would_mislead:
            out.write(output.summary_line(result.diagnostics, fixed=result.fixed, errors=len(result.errors)) + "\n")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("--version", "-V"):
        sys.stdout.write(f"reuse-lint {__version__}\n")
        return EXIT_CLEAN
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write(
            "usage: reuse-lint [check] PATH... | rule CODE | clean | trace SCRIPT | gan | server\n\n"
            "  check PATH...   lint files and directories (the default command)\n"
            "  rule CODE       print a rule's documentation; `rule --all` lists them\n"
            "  clean [PATH]    remove the project's cache (.reuse_lint_cache/)\n"
            "  trace SCRIPT    build the graph of SCRIPT under a variable hook (needs [tf])\n"
            "  gan             train the reference GAN, correct and broken (needs [tf])\n"
            "  server          the Language Server Protocol over stdio, for editors (needs [server])\n\n"
            "`reuse-lint check --help` lists the linter's options.\n"
        )
        return EXIT_CLEAN
    command = argv[0] if argv and argv[0] in SUBCOMMANDS else "check"
    rest = argv[1:] if argv and argv[0] in SUBCOMMANDS else argv
    try:
        if command == "rule":
            return _rule_main(rest)
        if command == "clean":
            return _clean_main(rest)
        if command == "server":
            return _server_main(rest)
        if command in ("trace", "gan"):
            missing = _needs_tensorflow(command)
            if missing:
                return _fail(missing)
            if command == "trace":
                from reuse_lint.trace.cli import main as trace_main

                return trace_main(rest)
            from reuse_lint.gan.cli import main as gan_main

            return gan_main(rest)
        return _check_main(rest)
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        return EXIT_ERROR
    except RecursionError:
        return _fail(_cut_short("nested too deeply"))
    except MemoryError:
        return _fail(_cut_short("out of memory"))
    except Exception as exc:  # noqa: BLE001 - the one place an internal error becomes exit 2
        from reuse_lint import runner

        return _fail(runner.internal_error_message(runner.current_file, exc))


def _cut_short(limit: str) -> str:
    from reuse_lint import runner

    if runner.current_file is None:
        return f"cut short ({limit})"
    return runner.cut_short_message(runner.current_file, limit)
