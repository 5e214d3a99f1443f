"""Keystroke to diagnostics: how long `reuse-lint server` takes to answer an edit.

Generates a 200-file TF1 project (a package of ops, blocks that use them, and models that
import blocks and each other), starts the server over stdio as an editor would, opens some
modules and types into them one character at a time. Each latency is from sending the
`didChange` to receiving the `publishDiagnostics` of that version, the debounce included.
Three cases: a keystroke in a model module; a burst of typing (the clock starts at its last
keystroke); a keystroke in the ops module that every model imports, with 6 of them open (they are
re-checked too, after the edited module). Every keystroke leaves a program that parses. The floor is the same analysis cold in-process (`check` of the module
and its imports with a fresh loader, no cache): what a server that kept nothing warm would pay.

    python benchmarks/lsp_latency.py [--keystrokes N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from lsp_client import LspClient  # noqa: E402

TARGET_SECONDS = 0.3
MODELS = 190  # with ops, blocks, __init__ files and the train scripts: 200 files

OPS = '''import tensorflow.compat.v1 as tf


def dense(x, units, name, activation=None):
    with tf.variable_scope(name):
        w = tf.get_variable("w", [x.shape[-1], units])
        b = tf.get_variable("b", [units], initializer=tf.zeros_initializer())
        y = tf.matmul(x, w) + b
        return activation(y) if activation is not None else y


def norm(x, name):
    with tf.variable_scope(name):
        gamma = tf.get_variable("gamma", [x.shape[-1]])
        return x * gamma
'''

BLOCKS = '''import tensorflow.compat.v1 as tf

from pkg import ops


def mlp(x, widths, name, reuse=False):
    with tf.variable_scope(name, reuse=reuse):
        for i, width in enumerate(widths):
            x = ops.dense(x, width, "fc%d" % i, activation=tf.nn.relu)
            x = ops.norm(x, "norm%d" % i)
        return x


def head(x, name, reuse=False):
    with tf.variable_scope(name, reuse=reuse):
        return ops.dense(x, 1, "out")
'''


def model_source(i: int) -> str:
    parent = (i - 1) // 2  # models import models as a tree: depth log2(190), about 8
    uses = f"from pkg.models import m{parent}\n" if i else ""
    body = [
        "import tensorflow.compat.v1 as tf",
        "",
        "from pkg import blocks",
        uses,
        "",
        f"def encoder_{i}(x, reuse=False):",
        f'    with tf.variable_scope("enc{i}", reuse=reuse):',
        f'        h = blocks.mlp(x, [32, 32], "trunk")',
        f'        return blocks.head(h, "head")',
        "",
        "",
        f"def critic_{i}(x, reuse=False):",
        f'    with tf.variable_scope("critic{i}", reuse=reuse):',
        f'        h = blocks.mlp(x, [16], "trunk")',
        f'        return ops_free_head(h)',
        "",
        "",
        "def ops_free_head(h):",
        '    return tf.layers.dense(h, 1, name="q")',
        "",
        "",
        f"def build_{i}(real, fake):",
        f"    a = encoder_{i}(real)",
        f"    b = encoder_{i}(fake, reuse=True)",
        f"    q = critic_{i}(a)",
        f"    q2 = critic_{i}(b, reuse=True)",
    ]
    if i:
        body.append(f"    prev = m{parent}.encoder_{parent}(real)")
    body += ["    return a, b, q, q2", ""]
    return "\n".join(body)


TRAIN = '''import tensorflow.compat.v1 as tf

from pkg.models import m{a}, m{b}

real = tf.placeholder(tf.float32, [None, 8])
fake = tf.random.normal([8, 8])
outputs = m{a}.build_{a}(real, fake)
more = m{b}.build_{b}(real, fake)
'''


def generate(root: Path) -> list[Path]:
    (root / "pyproject.toml").write_text("[tool.reuse-lint]\n")
    pkg = root / "pkg"
    (pkg / "models").mkdir(parents=True)
    files = {pkg / "__init__.py": "", pkg / "ops.py": OPS, pkg / "blocks.py": BLOCKS, pkg / "models" / "__init__.py": ""}
    for i in range(MODELS):
        files[pkg / "models" / f"m{i}.py"] = model_source(i)
    for t in range(200 - len(files)):
        files[root / f"train_{t}.py"] = TRAIN.format(a=t * 3 % MODELS, b=(t * 7 + 1) % MODELS)
    for path, text in files.items():
        path.write_text(text)
    return sorted(files)


class Editor:
    def __init__(self, client: LspClient) -> None:
        self.client = client
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

    def open(self, path: Path) -> None:
        uri = path.as_uri()
        self.versions[uri], self.texts[uri] = 1, path.read_text()
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": self.texts[uri]}})
        self.client.diagnostics(uri, version=1, timeout=120)

    def type(self, path: Path, char: str) -> tuple[str, int, float]:
        """Append a character at the end of the document; (uri, version, time sent)."""
        uri = path.as_uri()
        lines = self.texts[uri].split("\n")
        self.versions[uri] += 1
        position = {"line": len(lines) - 1, "character": len(lines[-1])}
        self.texts[uri] += char
        sent = self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": self.versions[uri]},
            "contentChanges": [{"range": {"start": position, "end": position}, "text": char}]})
        return uri, self.versions[uri], sent

    def latency(self, path: Path, char: str) -> float:
        uri, version, sent = self.type(path, char)
        arrived, _ = self.client.diagnostics(uri, version=version, timeout=120)
        return arrived - sent


def cold_floor(root: Path, module: Path, runs: int) -> float:
    """The same module's analysis in-process with nothing kept: a fresh loader each time."""
    from reuse_lint import checker, runner

    times = []
    cwd = os.getcwd()
    os.chdir(root)
    try:
        for _ in range(runs):
            loader = runner.ProjectLoader(lambda p: p.read_bytes())
            start = time.perf_counter()
            checker.lint_source(module.read_bytes(), str(module), loader=loader)
            times.append(time.perf_counter() - start)
    finally:
        os.chdir(cwd)
    return statistics.median(times)


def summary(name: str, times: list[float], floor: float) -> str:
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
    verdict = "within" if p90 <= TARGET_SECONDS else "OVER"
    return (f"| {name} | {len(times)} | {statistics.median(times):.3f} | {p90:.3f} | {times[-1]:.3f} | "
            f"{statistics.median(times) / floor:.1f} | {verdict} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keystrokes", type=int, default=20)
    args = parser.parse_args()
    from reuse_lint.lsp.server import DEBOUNCE

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = generate(root)
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        with open(root / "server.log", "w") as log:
            client = LspClient(root, env, log)
            try:
                client.initialize(root)
                editor = Editor(client)
                model = root / "pkg" / "models" / "m120.py"
                editor.open(model)
                editor.type(model, "\n")
                # A comment typed into a new line: every state parses, so every keystroke
                # pays for the whole analysis (a half-typed statement stops at RL001).
                single = [editor.latency(model, c) for c in ("# about the critic " * 4)[: args.keystrokes]]
                editor.type(model, "\n")

                burst = []
                for _ in range(max(3, args.keystrokes // 5)):
                    for c in "# note":
                        uri, version, sent = editor.type(model, c)
                        time.sleep(0.03)  # a fast typist: 30 ms between keys
                    burst.append(client.diagnostics(uri, version=version, timeout=120)[0] - sent)
                    editor.type(model, "\n")

                ops = root / "pkg" / "ops.py"
                for i in (3, 40, 80, 121, 150, 189):
                    editor.open(root / "pkg" / "models" / f"m{i}.py")
                editor.open(ops)
                editor.type(ops, "\n")
                shared = [editor.latency(ops, c) for c in ("# a note " * 4)[: max(5, args.keystrokes // 2)]]
                assert client.close() == 0
            finally:
                if client.proc.poll() is None:
                    client.proc.kill()
        floor = cold_floor(root, model, 9)
        print(f"project: {len(files)} files; debounce {DEBOUNCE * 1000:.0f} ms; target {TARGET_SECONDS} s")
        print(f"floor: the module's analysis cold in-process, {floor * 1000:.1f} ms\n")
        print("| keystroke | n | median s | p90 s | max s | median × floor | p90 vs target |")
        print("|---|---:|---:|---:|---:|---:|---|")
        print(summary("in a model module", single, floor))
        print(summary("last of a 5-key burst", burst, floor))
        print(summary("in ops.py, 6 importers open", shared, floor))


if __name__ == "__main__":
    main()
