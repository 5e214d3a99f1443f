"""`[tool.reuse-lint]` in pyproject.toml, and how flags override it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reuse_lint.cli import _check_parser
from reuse_lint.config import ConfigError, settings_from_args
from reuse_lint.runner import run
from conftest import BAD


def settings(tmp_path: Path, config: str, *argv: str):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.reuse-lint]\n" + config)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return settings_from_args(_check_parser().parse_args([*argv, "--no-cache"] or ["."]))
    finally:
        os.chdir(cwd)


def codes(tmp_path: Path, config: str, *argv: str) -> list[tuple[str, str]]:
    """(file name, code) of every finding of a real run in tmp_path."""
    s = settings(tmp_path, config, *argv)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return [(Path(d.path).as_posix(), d.code) for d in run(s).diagnostics]
    finally:
        os.chdir(cwd)


def reuse_lint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reuse_lint", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel in ("src/model.py", "tests/test_model.py", "legacy/old.py", "src/gen/out_pb2.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(BAD)
    (tmp_path / "broken.py").write_text("def f(:\n")
    return tmp_path


ALL = [("broken.py", "RL001"), ("legacy/old.py", "RL101"), ("src/gen/out_pb2.py", "RL101"),
       ("src/model.py", "RL101"), ("tests/test_model.py", "RL101")]


def test_no_section_lints_everything(tree):
    assert codes(tree, "") == ALL


def test_select_and_ignore_from_the_file(tree):
    assert codes(tree, 'select = ["RL001"]\n') == [("broken.py", "RL001")]
    assert codes(tree, 'ignore = ["RL1"]\n') == [("broken.py", "RL001")]
    assert codes(tree, 'select = ["RL001"]\nextend-select = ["RL101"]\n') == ALL


def test_flags_override_select_and_add_to_ignore(tree):
    config = 'select = ["RL001"]\nignore = ["RL101"]\n'
    assert codes(tree, config) == [("broken.py", "RL001")]
    # --select replaces the file's selection; the file's ignore still holds.
    assert codes(tree, config, "--select", "RL1") == []
    assert codes(tree, 'select = ["RL001"]\n', "--select", "RL101") == [c for c in ALL if c[1] == "RL101"]
    assert codes(tree, "", "--ignore", "RL101") == [("broken.py", "RL001")]
    assert codes(tree, 'ignore = ["RL001"]\n', "--ignore", "RL101") == []
    assert codes(tree, 'select = ["RL001"]\n', "--extend-select", "RL101") == ALL


def test_exclude_and_extend_exclude(tree):
    assert codes(tree, 'exclude = ["legacy", "*_pb2.py"]\n') == [
        ("broken.py", "RL001"), ("src/model.py", "RL101"), ("tests/test_model.py", "RL101")]
    assert codes(tree, 'exclude = ["legacy/"]\nextend-exclude = ["src/gen/**"]\n') == [
        ("broken.py", "RL001"), ("src/model.py", "RL101"), ("tests/test_model.py", "RL101")]


def test_exclude_flags_replace_and_extend_the_configured_patterns(tree):
    config = 'exclude = ["legacy"]\nextend-exclude = ["*_pb2.py"]\n'
    assert codes(tree, config, "--exclude", "tests,src/model.py") == [("broken.py", "RL001"), ("legacy/old.py", "RL101")]
    assert codes(tree, config, "--extend-exclude", "tests/") == [("broken.py", "RL001"), ("src/model.py", "RL101")]


def test_a_file_named_on_the_command_line_is_linted_even_if_excluded(tree):
    assert codes(tree, 'exclude = ["legacy"]\n', "legacy/old.py") == [("legacy/old.py", "RL101")]


def test_per_file_ignores_with_directory_and_double_star_globs(tree):
    config = 'per-file-ignores = { "tests/**/*.py" = ["RL101"], "legacy/*" = ["RL1"], "broken.py" = ["RL001"] }\n'
    assert codes(tree, config) == [("src/gen/out_pb2.py", "RL101"), ("src/model.py", "RL101")]


def test_select_an_empty_list_selects_nothing(tree):
    assert codes(tree, "select = []\n") == []


def test_output_format_from_the_file_and_the_flag_wins(tree):
    assert settings(tree, 'output-format = "github"\n').output_format == "github"
    assert settings(tree, 'output-format = "github"\n', "--output-format", "json").output_format == "json"
    proc = reuse_lint("check", "--no-cache", "src/model.py", cwd=tree)
    assert proc.stdout.startswith("::error file=src/model.py,line=6,col=5,")


def test_nearest_pyproject_with_the_section_wins(tree):
    (tree / "src" / "pyproject.toml").write_text('[tool.reuse-lint]\nselect = ["RL001"]\n')
    (tree / "tests" / "pyproject.toml").write_text("[project]\nname = 'no-section'\n")
    (tree / "pyproject.toml").write_text('[tool.reuse-lint]\noutput-format = "json"\n')
    inner = reuse_lint("check", "--no-cache", "--output-format", "json", "src", cwd=tree)
    assert json.loads(inner.stdout) == []
    # tests/ has a pyproject without the section: the search goes on up to the root's.
    outer = reuse_lint("check", "--no-cache", "tests", cwd=tree)
    assert [f["code"] for f in json.loads(outer.stdout)] == ["RL101"]


def test_config_flag_reads_the_named_file(tree, tmp_path_factory):
    other = tmp_path_factory.mktemp("cfg") / "pyproject.toml"
    other.write_text('[tool.reuse-lint]\nselect = ["RL001"]\n')
    proc = reuse_lint("check", "--no-cache", "--config", str(other), "--output-format", "json", ".", cwd=tree)
    assert [f["code"] for f in json.loads(proc.stdout)] == ["RL001"]


@pytest.mark.parametrize("config, message", [
    ('selct = ["RL101"]\n', "unknown key in [tool.reuse-lint]: 'selct'"),
    ('select = ["RL999"]\n', "select: unknown rule code 'RL999'"),
    ('ignore = ["XX1"]\n', "ignore: unknown rule code 'XX1'"),
    ('extend-select = ["RL9"]\n', "extend-select: unknown rule code 'RL9'"),
    ('per-file-ignores = { "a.py" = ["RL777"] }\n', "per-file-ignores: unknown rule code 'RL777'"),
    ('per-file-ignores = ["a.py"]\n', "per-file-ignores must be a table"),
    ('exclude = "legacy"\n', "exclude: expected a list of glob patterns"),
    ('select = [101]\n', "select: expected a list of rule codes"),
    ('output-format = "xml"\n', "unknown output-format 'xml'"),
    ("select = [\n", "invalid TOML"),
])
def test_bad_configuration_is_exit_two_naming_the_problem(tree, config, message):
    (tree / "pyproject.toml").write_text("[tool.reuse-lint]\n" + config)
    proc = reuse_lint("check", "--no-cache", ".", cwd=tree)
    assert proc.returncode == 2, proc.stdout
    (line,) = proc.stderr.splitlines()
    assert line.startswith("reuse-lint: error: ") and message in line


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
def test_unknown_code_on_the_command_line_is_exit_two(tmp_path, flag):
    proc = reuse_lint("check", flag, "RL101,NOPE1", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"reuse-lint: error: {flag}: unknown rule code 'NOPE1'"


def test_config_errors_raise_config_error_in_the_api(tmp_path):
    with pytest.raises(ConfigError, match="unknown key in \\[tool.reuse-lint\\]: 'colour'"):
        settings(tmp_path, 'colour = "red"\n')
