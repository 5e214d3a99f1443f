"""Jupyter notebooks: code cells linted as the kernel runs them, findings at (cell, line, column),
fixes that change only the edited cells, and the notebooks' claims judged by TensorFlow."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import tf_build
from reuse_lint import notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "fixtures" / "notebooks"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]+\d+)")
TF1 = "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()"
BUILDER = '''def d(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1, name="out")'''


def run(*args: str, cwd: Path = ROOT):
    return subprocess.run(
        [sys.executable, "-m", "reuse_lint", *args],
        capture_output=True, text=True, cwd=cwd, env=dict(os.environ, NO_COLOR="1"), timeout=120,
    )


def write(path: Path, *cells) -> Path:
    book = new_notebook(cells=list(cells), metadata={"language_info": {"name": "python"}})
    nbformat.write(book, path)
    return path


def code(text: str):
    return new_code_cell(text)


def findings(path: Path, *flags: str) -> list[dict]:
    proc = run("check", str(path), "--no-cache", "--output-format", "json", *flags)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def expected(path: Path) -> set[tuple[int, int, str]]:
    book = nbformat.read(path, as_version=4)
    return {
        (number, line, m.group(1))
        for number, cell in enumerate(book.cells, 1) if cell.cell_type == "code"
        for line, text in enumerate(cell.source.splitlines(), 1) if (m := EXPECT.search(text))
    }


# ----- the fixtures ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*_bad.ipynb")))
def test_bad_notebook_findings_are_exactly_the_marked_cell_lines(name):
    path = NOTEBOOKS / name
    assert expected(path), f"{name} marks no expected finding"
    assert {(f["cell"], f["line"], f["code"]) for f in findings(path)} == expected(path)


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*_good.ipynb")))
def test_good_notebook_is_clean(name):
    assert findings(NOTEBOOKS / name) == []


def test_every_bad_notebook_has_a_good_twin():
    bad = {p.name for p in NOTEBOOKS.glob("*_bad.ipynb")}
    assert len(bad) >= 4
    assert {n.replace("_bad", "_good") for n in bad} <= {p.name for p in NOTEBOOKS.glob("*_good.ipynb")}


def _d(scope: str, *layers: str) -> list[str]:
    return sorted(f"{scope}/{layer}/{v}:0" for layer in layers for v in ("kernel", "bias"))


# What TensorFlow does when each notebook's code cells run in order (tests/tf_build.py).
VERDICT = {
    "rl101_bad": lambda b: b["error"]["type"] == "ValueError"
    and "Variable discriminator/h1/kernel already exists, disallowed" in b["error"]["message"],
    "rl101_good": lambda b: b["error"] is None
    and [n for n in b["created"] if n.startswith("discriminator")] == ["discriminator/h1/kernel:0", "discriminator/h1/bias:0",
                                                                         "discriminator/logits/kernel:0", "discriminator/logits/bias:0"],
    "rl101_sampling_bad": lambda b: b["error"]["type"] == "ValueError"
    and "Variable generator/h1/kernel already exists, disallowed" in b["error"]["message"],
    "rl101_sampling_good": lambda b: b["error"] is None and sorted(b["created"]) == _d("generator", "h1", "out"),
    "rl107_bad": lambda b: b["error"]["type"] == "ValueError" and "Variable d_w1/Adam/ does not exist" in b["error"]["message"],
    "rl107_good": lambda b: b["error"] is None and b["steps"]["d_step"] == ["discriminator/d_w1:0"],
    "rl102_bad": lambda b: b["error"]["type"] == "ValueError"
    and "Variable discriminator/h1/kernel does not exist" in b["error"]["message"],
    "rl102_good": lambda b: b["error"] is None and len([n for n in b["created"] if n.startswith("discriminator")]) == 4,
    # Silent: a second discriminator, discriminator_1/, beside discriminator/.
    "rl105_bad": lambda b: b["error"] is None
    and sorted(n for n in b["created"] if n.startswith("discriminator")) == _d("discriminator", "dense", "dense_1") + _d("discriminator_1", "dense", "dense_1"),
    "rl105_good": lambda b: b["error"] is None
    and sorted(n for n in b["created"] if n.startswith("discriminator")) == _d("discriminator", "h1", "logits"),
    # Silent: the generator's step also changes every discriminator variable.
    "rl109_bad": lambda b: b["steps"]["g_step"] == _d("discriminator", "h1", "logits") + _d("generator", "dense", "dense_1"),
    "rl109_good": lambda b: b["steps"]["g_step"] == _d("generator", "dense", "dense_1")
    and b["steps"]["d_step"] == _d("discriminator", "h1", "logits"),
}


@pytest.fixture(scope="module")
def notebooks_built(tmp_path_factory) -> dict[str, dict]:
    """Each notebook's code cells run in order as one script, under real TensorFlow."""
    folder = tmp_path_factory.mktemp("notebook_scripts")
    scripts = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        script = folder / f"{path.stem}.py"
        script.write_text(notebook.to_script(path.read_bytes()))
        scripts.append(script)
    return {Path(k).stem: v for k, v in tf_build(scripts).items()}


@pytest.mark.parametrize("name", sorted(VERDICT))
def test_notebook_judged_by_tensorflow(name, notebooks_built):
    assert VERDICT[name](notebooks_built[name]), notebooks_built[name]


def test_every_notebook_has_a_tensorflow_verdict():
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} == set(VERDICT)


# ----- positions and formats ------------------------------------------------------------------

def test_builder_of_one_cell_applied_twice_in_another_is_rl101_with_the_first_call_related(tmp_path):
    path = write(tmp_path / "gan.ipynb", new_markdown_cell("# title"), code(TF1), code(BUILDER),
                 code("x = tf.zeros([1, 2])"), code("a = d(x)\nb = d(x)"))
    [f] = findings(path)
    assert (f["code"], f["cell"], f["line"], f["column"], f["end_line"], f["end_column"]) == ("RL101", 5, 2, 5, 2, 9)
    assert [(r["cell"], r["line"], r["column"]) for r in f["related"]] == [(5, 1, 5)]
    assert f["fix"]["edits"][0]["location"]["line"] == 2  # the edit too counts lines in its cell


# Cells of a GAN notebook run top to bottom in one kernel. Cell 3 builds the critic's weight
# again without reuse: TF raises at its first line (`Variable critic/d_w already exists`) and
# the kernel skips the rest of the cell, so `critic/d_b` is first made by cell 4, which TF
# runs without error (checked in TF 2.21, each cell run in order in one graph, an error
# ending only its cell). In a script, TF stops at the first error: nothing after it runs.
RAISING_CELLS = (
    'with tf.variable_scope("critic"):\n    d_w = tf.get_variable("d_w", [2, 1])',
    'with tf.variable_scope("critic"):\n    d_w = tf.get_variable("d_w", [2, 1])\n'
    '    d_b = tf.get_variable("d_b", [1])',
    'with tf.variable_scope("critic"):\n    d_b = tf.get_variable("d_b", [1])',
)


def test_a_statement_that_raises_ends_its_cell_for_the_cells_after_it(tmp_path):
    path = write(tmp_path / "critic.ipynb", code(TF1), *(code(c) for c in RAISING_CELLS))
    assert [(f["code"], f["cell"], f["line"]) for f in findings(path)] == [("RL101", 3, 2)]
    # The same lines as one script: cell 4's `d_b` is the second one the script makes.
    script = tmp_path / "critic.py"
    script.write_text("\n".join((TF1,) + RAISING_CELLS) + "\n")
    out = run("check", "critic.py", "--no-cache", "--output-format", "json", cwd=tmp_path)
    assert sorted((f["code"], f["line"]) for f in json.loads(out.stdout)) == [("RL101", 6), ("RL101", 9)]


def test_text_formats_show_the_cell(tmp_path):
    path = write(tmp_path / "gan.ipynb", code(TF1), code(BUILDER), code("x = tf.zeros([1, 2])\na = d(x)"), code("b = d(x)"))
    concise = run("check", "gan.ipynb", "--no-cache", "--output-format", "concise", cwd=tmp_path)
    assert concise.stdout.splitlines()[0].startswith("gan.ipynb:cell 4:1:5: RL101 ")
    full = run("check", "gan.ipynb", "--no-cache", cwd=tmp_path).stdout
    assert "gan.ipynb:cell 4:1:5: RL101" in full
    assert "1 | b = d(x)" in full  # the excerpt is the cell's own line
    assert "related: gan.ipynb:cell 3:2:5:" in full
    assert path.exists()


def test_sarif_and_github_carry_the_cell(tmp_path):
    write(tmp_path / "gan.ipynb", code(TF1), code(BUILDER), code("x = tf.zeros([1, 2])\na = d(x)"), code("b = d(x)"))
    sarif = json.loads(run("check", "gan.ipynb", "--no-cache", "--output-format", "sarif", cwd=tmp_path).stdout)
    [result] = sarif["runs"][0]["results"]
    location = result["locations"][0]
    assert location["properties"] == {"cell": 4}
    assert location["physicalLocation"]["region"]["startLine"] == 1
    assert result["relatedLocations"][0]["properties"] == {"cell": 3}
    github = run("check", "gan.ipynb", "--no-cache", "--output-format", "github", cwd=tmp_path).stdout
    assert github.startswith("::error file=gan.ipynb,title=RL101 repeated-scope-without-reuse::cell 4:1:5: ")


def test_magics_shell_lines_and_unparsable_cells_are_blanked_keeping_positions(tmp_path):
    path = write(tmp_path / "nb.ipynb",
                 code("%matplotlib inline\n!pip install tensorflow\nfiles = !ls\nd?"),
                 code(TF1),
                 code("%%time\nthis is not python"),
                 code("def broken(:\n    pass"),
                 code(BUILDER),
                 code("%time y = 1\nx = tf.zeros([1, 2])\na = d(x)\nb = d(x)"))
    result = findings(path)
    assert [(f["code"], f["cell"], f["line"], f["column"]) for f in result] == [("RL101", 6, 4, 5)]
    assert "files = !ls" not in notebook.read(path.read_bytes()).script


def test_a_cell_that_parses_keeps_its_lines_that_start_like_magics():
    assert notebook._blank('s = ("%d"\n     % 3)\n') == 's = ("%d"\n     % 3)\n'
    # Beside a shell line the continuation is blanked too, the cell no longer parses, and
    # all of it is blanked: a miss, never a finding on code the kernel would not run.
    assert notebook._blank('s = ("%d"\n     % 3)\n!echo') == "\n\n\n"


@pytest.mark.parametrize("data", [b"[]", b'{"a": 1}', b'{"nbformat": 3}', b'{"nbformat": 9, "nbformat_minor": 0}',
                                  b'{"nbformat": 4, "nbformat_minor": 2, "cells": 5, "metadata": {}}', b"\xff\xfe"])
def test_json_that_is_not_a_notebook_is_one_clear_error(data):
    with pytest.raises(notebook.NotebookError, match=r"^cannot (read|decode) the notebook: "):
        notebook.read(data)


def test_notebook_of_another_language_is_not_linted(tmp_path):
    book = new_notebook(cells=[code("x <- c(1, 2")], metadata={"kernelspec": {"language": "R", "name": "ir", "display_name": "R"}})
    nbformat.write(book, tmp_path / "r.ipynb")
    assert findings(tmp_path / "r.ipynb") == []


def test_a_notebook_that_is_not_json_is_rl001_and_the_rest_is_linted(tmp_path):
    (tmp_path / "broken.ipynb").write_text("{ not json")
    write(tmp_path / "gan.ipynb", code(TF1), code(BUILDER), code("x = tf.zeros([1, 2])\na = d(x)\nb = d(x)"))
    result = findings(tmp_path)
    assert [(f["code"], Path(f["path"]).name, f.get("cell"), f["line"]) for f in result] == [
        ("RL001", "broken.ipynb", None, 1), ("RL101", "gan.ipynb", 3, 3)]


def test_a_notebook_over_a_files_cap_in_stored_outputs_is_linted_by_its_code(tmp_path):
    # A training notebook saved with its plots: the megabytes are outputs the analysis never
    # reads, so only its code cells meet the cap of a file.
    plots = code("x = tf.zeros([1, 2])\na = d(x)\nb = d(x)")
    plots.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0K" * 200_000})]
    path = write(tmp_path / "gan.ipynb", code(TF1), code(BUILDER), plots)
    assert path.stat().st_size > 1_000_000
    proc = run("check", path.name, "--no-cache", "--output-format", "json", cwd=tmp_path)
    assert [(f["code"], f["cell"], f["line"]) for f in json.loads(proc.stdout)] == [("RL101", 3, 3)]
    assert proc.stderr == ""


def test_a_notebook_whose_code_is_over_a_files_cap_is_one_clear_line(tmp_path):
    path = write(tmp_path / "big.ipynb", code(TF1), code("x = 1\n" * 200_000))
    proc = run("check", path.name, "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2
    [line] = [line for line in proc.stderr.splitlines() if "big.ipynb" in line]
    assert "big.ipynb: not analysed (too large: 1,2" in line
    assert line.endswith("bytes, over the 1,000,000 a notebook's code cells may have)")


def test_a_notebook_on_standard_input_is_read_as_one(tmp_path):
    path = write(tmp_path / "gan.ipynb", code(TF1), code(BUILDER), code("x = tf.zeros([1, 2])\na = d(x)"), code("b = d(x)"))
    proc = subprocess.run(
        [sys.executable, "-m", "reuse_lint", "check", "-", "--stdin-filename", "gan.ipynb", "--output-format", "concise"],
        input=path.read_text(), capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.stdout.splitlines()[0].startswith("gan.ipynb:cell 4:1:5: RL101 ")


# ----- suppressions, configuration, exclusions, cache -------------------------------------------

def test_noqa_in_a_cell_suppresses(tmp_path):
    path = write(tmp_path / "nb.ipynb", code(TF1), code(BUILDER), code("x = tf.zeros([1, 2])\na = d(x)\nb = d(x)  # noqa: RL101"))
    assert findings(path) == []


def test_configuration_and_exclusions_apply_to_notebooks(tmp_path):
    write(tmp_path / "nb.ipynb", code(TF1), code(BUILDER), code("x = tf.zeros([1, 2])\na = d(x)\nb = d(x)"))
    (tmp_path / "pyproject.toml").write_text('[tool.reuse-lint]\nper-file-ignores = { "*.ipynb" = ["RL101"] }\n')
    assert findings(tmp_path) == []
    (tmp_path / "pyproject.toml").write_text('[tool.reuse-lint]\nextend-exclude = ["nb.ipynb"]\n')
    proc = run("check", ".", "--no-cache", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert "no Python files found under ." in proc.stderr  # the only notebook was excluded
    (tmp_path / "pyproject.toml").write_text("[tool.reuse-lint]\n")
    assert [f["cell"] for f in findings(tmp_path)] == [3]


def test_warm_cache_gives_the_same_cell_positions(tmp_path):
    write(tmp_path / "nb.ipynb", code(TF1), code(BUILDER), code("x = tf.zeros([1, 2])\na = d(x)"), code("b = d(x)"))
    (tmp_path / "pyproject.toml").write_text("[tool.reuse-lint]\n")
    cold = run("check", ".", "--output-format", "json", cwd=tmp_path)
    warm = run("check", ".", "--output-format", "json", cwd=tmp_path)
    assert json.loads(cold.stdout) == json.loads(warm.stdout)
    assert [(f["cell"], f["related"][0]["cell"]) for f in json.loads(warm.stdout)] == [(4, 3)]


# ----- fixes ----------------------------------------------------------------------------------

def _source_lines(data: bytes, number: int) -> list[str]:
    return nbformat.reads(data.decode(), as_version=4).cells[number - 1].source.splitlines()


def test_fix_changes_only_the_edited_cell_and_keeps_nbformat_layout(tmp_path):
    path = tmp_path / "rl101_bad.ipynb"
    shutil.copy(NOTEBOOKS / "rl101_bad.ipynb", path)
    before = path.read_bytes()
    proc = run("check", path.name, "--no-cache", "--fix", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = path.read_bytes()
    assert _source_lines(after, 10)[0] == "d_fake = discriminator(fake, reuse=True)  # expect: RL101"
    # Every other byte is as before: the file's lines differ only in that cell's source line.
    old, new = before.decode().splitlines(), after.decode().splitlines()
    assert len(old) == len(new)
    assert [(a, b) for a, b in zip(old, new) if a != b] == [
        ('    "d_fake = discriminator(fake)  # expect: RL101\\n",', '    "d_fake = discriminator(fake, reuse=True)  # expect: RL101\\n",')]
    assert after.decode() == nbformat.writes(nbformat.reads(after.decode(), as_version=nbformat.NO_CONVERT)) + "\n"


def test_diff_shows_the_cell_and_writes_nothing(tmp_path):
    path = tmp_path / "rl101_bad.ipynb"
    shutil.copy(NOTEBOOKS / "rl101_bad.ipynb", path)
    proc = run("check", path.name, "--no-cache", "--diff", cwd=tmp_path)
    assert proc.returncode == 1
    assert "--- a/rl101_bad.ipynb:cell 10\n+++ b/rl101_bad.ipynb:cell 10\n" in proc.stdout
    assert "+d_fake = discriminator(fake, reuse=True)  # expect: RL101\n" in proc.stdout
    assert path.read_bytes() == (NOTEBOOKS / "rl101_bad.ipynb").read_bytes()


def test_fix_is_not_written_into_a_file_that_nbformat_would_lay_out_otherwise(tmp_path):
    book = json.loads((NOTEBOOKS / "rl101_bad.ipynb").read_text())
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(book, indent=2))  # another tool's layout
    before = path.read_bytes()
    proc = run("check", path.name, "--no-cache", "--fix", cwd=tmp_path)
    assert proc.returncode == 2
    assert "nb.ipynb: fix not written: the file is not laid out as nbformat writes it" in proc.stderr
    assert path.read_bytes() == before


# ----- trace ----------------------------------------------------------------------------------

def test_trace_runs_the_code_cells_as_one_script_and_reports_at_cells(tmp_path):
    report = tmp_path / "report.json"
    proc = run("trace", "fixtures/notebooks/rl101_bad.ipynb", "--output-format", "json", "--report", str(report))
    assert proc.returncode == 1, proc.stderr[-2000:]
    [d] = json.loads(proc.stdout)
    assert (d["code"], d["path"], d["cell"], d["line"], d["column"]) == ("RT201", "fixtures/notebooks/rl101_bad.ipynb", 10, 1, 10)
    assert [(r["cell"], r["line"]) for r in d["related"]] == [(8, 1)]
    assert json.loads(report.read_text())["diagnostics"] == [d]  # the report too, at cells
