"""Python 2 sources: read in memory as Python 3 on the same lines, analysed, reported at the
file's own positions with a note, never fixed; TensorFlow judges the converted fixtures."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, tf_build
from reuse_lint import py2
from reuse_lint.checker import lint_source
from reuse_lint.engine import parse_module
from reuse_lint.runner import lint_files

FIXTURES = ROOT / "fixtures" / "py2"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]+\d+)")


def _expected(path: Path) -> set[tuple[int, str]]:
    return {(i, m.group(1)) for i, line in enumerate(path.read_text().splitlines(), 1) if (m := EXPECT.search(line))}


def _converted(path: Path, into: Path) -> Path:
    text = path.read_text()
    out = py2.convert(text)
    assert out is not None, path.name
    target = into / path.name
    target.write_text(out[0])
    return target


def test_the_fixtures_are_python_2_only():
    for path in FIXTURES.glob("*.py"):
        with pytest.raises(SyntaxError):
            compile(path.read_text(), path.name, "exec")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*_bad.py")))
def test_bad_fixture_findings_are_the_marked_lines_read_as_python_2_without_a_fix(name):
    path = FIXTURES / name
    found = lint_source(path.read_bytes(), str(path))
    assert {(d.line, d.code) for d in found} == _expected(path) != set()
    for d in found:
        assert d.message.endswith(" (read as Python 2)")
        assert d.fix is None


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*_good.py")))
def test_good_fixture_is_clean(name):
    path = FIXTURES / name
    assert lint_source(path.read_bytes(), str(path)) == []


def test_a_finding_on_a_rewritten_line_is_at_the_original_column():
    path = FIXTURES / "rl101_bad.py"
    (finding,) = lint_source(path.read_bytes(), str(path))
    line = path.read_text().splitlines()[finding.line - 1]
    assert line.startswith('print >>LOG, "D(G(z)):", discriminator(fake)')  # `print(` when converted
    assert finding.column == line.index("discriminator(") + 1
    assert finding.end_column == line.index("  # expect") + 1


def test_converted_lines_keep_their_numbers_and_indentation():
    for path in FIXTURES.glob("*.py"):
        text = path.read_text()
        converted, _ = py2.convert(text)
        before, after = text.splitlines(), converted.splitlines()
        assert len(before) == len(after)
        for a, b in zip(before, after):
            assert len(a) - len(a.lstrip()) == len(b) - len(b.lstrip())
            assert ("#" in a) == ("#" in b)


@pytest.fixture(scope="module")
def converted_built(tmp_path_factory) -> dict[str, dict]:
    into = tmp_path_factory.mktemp("py2_converted")
    return tf_build([_converted(p, into) for p in sorted(FIXTURES.glob("*.py"))])


def _dense(scope: str, *layers: str) -> list[str]:
    return sorted(f"{scope}/{layer}/{v}:0" for layer in layers for v in ("kernel", "bias"))


def test_tensorflow_fails_on_the_converted_rl101_bad_and_builds_its_twin(converted_built):
    error = converted_built["rl101_bad.py"]["error"]
    assert error["type"] == "ValueError"
    assert "Variable discriminator/h1/kernel already exists, disallowed" in error["message"]
    assert converted_built["rl101_good.py"]["error"] is None
    assert sorted(converted_built["rl101_good.py"]["created"]) == _dense("discriminator", "h1", "logits")


def test_tensorflow_shows_the_converted_rl109_bad_training_the_discriminator(converted_built):
    bad, good = converted_built["rl109_bad.py"], converted_built["rl109_good.py"]
    assert bad["error"] is None and good["error"] is None
    assert bad["steps"]["g_step"] == _dense("discriminator", "dense", "dense_1") + _dense("generator", "dense", "dense_1")
    assert good["steps"]["g_step"] == _dense("generator", "dense", "dense_1")


def test_tensorflow_fails_on_the_converted_rl102_order_bad_and_builds_its_twin(converted_built):
    # The fake branch's lookup comes first: TF finds nothing to reuse.
    error = converted_built["rl102_order_bad.py"]["error"]
    assert error["type"] == "ValueError"
    assert "Variable discriminatorB/d_h0/w/kernel does not exist" in error["message"]
    good = converted_built["rl102_order_good.py"]
    assert good["error"] is None
    assert sorted(good["created"]) == _dense("discriminatorB", "d_h0/w", "d_pred/w")


def test_a_python_2_model_class_that_only_its_caller_constructs_reports_the_lookup_order(tmp_path):
    # Nothing in view constructs the class: the graph's history is unknown, yet the lookup
    # of the fake branch precedes the real branch's creation, so one of the two fails.
    source = (FIXTURES / "rl102_order_bad.py").read_text()
    module = source.split("def main():")[0]
    (tmp_path / "model.py").write_text(module)
    found = lint_source(module.encode(), str(tmp_path / "model.py"))
    assert [(d.line, d.code) for d in found] == [(38, "RL102")]
    assert "before it is created" in found[0].message and found[0].message.endswith(" (read as Python 2)")
    assert [r.line for r in found[0].related] == [39]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reuse_lint", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_fix_and_diff_skip_a_converted_file(tmp_path):
    shutil.copy(FIXTURES / "rl101_bad.py", tmp_path / "bad.py")
    # The same code as Python 3 does get a fix: the Python 2 file is skipped, not unfixable.
    _converted(FIXTURES / "rl101_bad.py", tmp_path).rename(tmp_path / "bad3.py")
    assert "reuse=True" in _cli("check", "--diff", "--unsafe-fixes", "bad3.py", cwd=tmp_path).stdout
    before = (tmp_path / "bad.py").read_bytes()
    diff = _cli("check", "--diff", "--unsafe-fixes", "bad.py", cwd=tmp_path)
    assert (diff.returncode, diff.stdout) == (0, "")  # --diff prints only fixes, and there are none
    fixed = _cli("check", "--fix", "--unsafe-fixes", "--output-format", "json", "bad.py", cwd=tmp_path)
    assert (tmp_path / "bad.py").read_bytes() == before
    assert [(f["code"], f["line"], f["fix"]) for f in json.loads(fixed.stdout)] == [("RL101", 30, None)]


def test_neither_python_3_nor_python_2_stays_a_syntax_error_at_the_python_3_position():
    source = b'print "building"\ndef f(:\n    pass\n'
    (finding,) = lint_source(source, "broken.py")
    assert (finding.code, finding.line, finding.column) == ("RL001", 1, 1)
    assert finding.message.startswith("syntax error: ") and "Python 2" not in finding.message


def test_python_3_files_are_not_converted():
    module = parse_module(b"print('x')\n", "x.py")
    assert module.py2 is None
    # fissix is imported only when a file fails to parse: a Python 3 run never loads it.
    probe = "import sys; from reuse_lint.checker import lint_source; lint_source(b\"print('x')\\n\", 'x.py'); print('fissix' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT).stdout.strip() == "False"


def test_an_indent_of_tabs_and_spaces_reads_as_python_2_did():
    source = "import tensorflow as tf\ndef d(x):\n    with tf.variable_scope('d'):\n\treturn tf.layers.dense(x, 1)\nprint d(1)\nprint d(2)\n"
    found = lint_source(source.encode(), "tabs.py")
    assert [(d.code, d.line, d.column) for d in found] == [("RL101", 6, 7)]


PY2_MODEL = '''import tensorflow as tf


def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        print "building on", x
        return tf.layers.dense(x, 1, name="logits")
'''
PY2_TRAIN = '''import tensorflow as tf
from model import discriminator

real = tf.placeholder(tf.float32, [None, 2])
d_real = discriminator(real)
d_fake = discriminator(real * 2.0)
print "built", d_real, d_fake
'''


def test_an_imported_python_2_module_is_read_as_python_2(tmp_path):
    (tmp_path / "setup.py").write_text("")
    (tmp_path / "model.py").write_text(PY2_MODEL)
    (tmp_path / "train.py").write_text(PY2_TRAIN)
    (tmp_path / "train3.py").write_text(PY2_TRAIN.replace('print "built", d_real, d_fake', "print(d_real, d_fake)"))
    found = lint_files([str(tmp_path / "train.py"), str(tmp_path / "train3.py")])
    assert [(Path(d.path).name, d.code, d.line, d.message.endswith("(read as Python 2)")) for d in found] == [
        ("train.py", "RL101", 6, True), ("train3.py", "RL101", 6, False)]


def test_a_fixer_that_would_split_a_line_is_dropped_for_that_file():
    # fix_urllib writes this import as two lines (urllib.parse, urllib.request): every
    # line after it would move, so it is left as Python 2 wrote it.
    source = (
        "from urllib import urlencode, urlopen\n"
        "import tensorflow as tf\n"
        "def d(x):\n"
        "    with tf.variable_scope('d'):\n"
        "        return tf.layers.dense(x, 1)\n"
        "a = d(1)\n"
        "print urlencode({}), d(2)\n"
    )
    converted, conversion = py2.convert(source)
    assert converted.splitlines()[0] == "from urllib import urlencode, urlopen"
    assert converted.splitlines()[6] == "print(urlencode({}), d(2))"
    assert sorted(conversion.changed) == [7]
    assert [(d.code, d.line, d.column) for d in lint_source(source.encode(), "x.py")] == [("RL101", 7, 22)]


def test_a_bug_in_a_python_2_module_that_its_caller_reveals_is_reported_there(tmp_path):
    # fixtures/crossmodule/sampler_bad (judged by TensorFlow in test_crossmodule.py), both
    # files made Python 2: the leak in gen.py is found through main.py, whichever is asked.
    project = tmp_path / "sampler"
    shutil.copytree(ROOT / "fixtures" / "crossmodule" / "sampler_bad", project)
    (project / "setup.py").write_text("")
    gen = (project / "gen.py").read_text().replace("    if reuse:\n", "    if reuse:\n        print 'sampling from', `z`\n")
    (project / "gen.py").write_text(gen)
    main = (project / "main.py").read_text().replace("    sess.run([d_step, g_step])", "    print sess.run([d_step, g_step])")
    (project / "main.py").write_text(main)
    line = gen.splitlines().index("        tf.get_variable_scope().reuse_variables()  # expect: RL107") + 1
    for asked in ("main.py", "gen.py", "."):
        findings = json.loads(_cli("check", "--no-cache", "--output-format", "json", asked, cwd=project).stdout)
        assert [(f["path"], f["line"], f["column"], f["code"], f["message"].endswith("(read as Python 2)")) for f in findings] == [
            ("gen.py", line, 9, "RL107", True)], asked


def test_without_the_usual_culprit_the_fixer_that_moves_lines_is_found_one_by_one(monkeypatch):
    # The general fallback: each fixer tried alone, the ones that keep lines kept.
    monkeypatch.setattr(py2, "_URLLIB", "no such fixer")
    source = "from urllib import urlencode, urlopen\nprint urlencode({})\nx = 1L\n"
    converted, conversion = py2.convert.__wrapped__(source)
    assert converted == "from urllib import urlencode, urlopen\nprint(urlencode({}))\nx = 1\n"
    assert sorted(conversion.changed) == [2, 3]


def test_tuple_parameters_are_unpacked_on_lines_they_already_hold():
    text = (
        "def pair(a, (b, (c, d))):\n"
        "    return a + b + c + d\n"
        "def scoped((units, name)):\n"
        "    if units > 0:\n"
        "        return name\n"
        "key = lambda (k, v): v\n"
        "print pair(1, (2, (3, 4))), scoped((1, 'x')), key(('k', 5))\n"
    )
    out, _ = py2.convert(text)
    assert len(out.splitlines()) == len(text.splitlines())
    namespace = {}
    exec(compile(out.replace("print(", "result = ("), "<converted>", "exec"), namespace)
    assert namespace["result"] == (10, "x", 5)


def test_a_tuple_parameter_before_a_try_keeps_the_file_a_syntax_error():
    # No line of the function can take the unpacking: not converted, rather than shifted.
    text = "def f((a, b)):\n    try:\n        print a\n    except ValueError, e:\n        pass\n"
    assert py2.convert(text) is None
    (finding,) = lint_source(text.encode(), "f.py")
    assert finding.code == "RL001" and finding.line == 1


def test_a_finding_below_a_tuple_parameter_lambda_is_at_its_own_line():
    text = (
        "import tensorflow as tf\n"
        "order = sorted({'b': 2, 'a': 1}.items(), key=lambda (k, v): v)\n"
        "def discriminator(x, reuse=False):\n"
        "    with tf.variable_scope('discriminator', reuse=reuse):\n"
        "        return tf.layers.dense(x, 1)\n"
        "print order\n"
        "fake = discriminator(tf.ones([1, 2]), reuse=True)\n"
        "real = discriminator(tf.zeros([1, 2]))\n"
    )
    found = lint_source(text.encode(), "gan.py")
    assert [(d.line, d.code) for d in found] == [(7, "RL102")]
    assert found[0].message.endswith(" (read as Python 2)")
