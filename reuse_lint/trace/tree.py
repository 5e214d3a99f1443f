"""`--tree`: the variable scopes as a rich Tree, one leaf per variable."""

from __future__ import annotations

import os

from rich.markup import escape
from rich.tree import Tree

from reuse_lint.trace.api import TracedVariable


def scope_tree(variables: list[TracedVariable], title: str) -> Tree:
    root = Tree(f"[bold]{escape(title)}[/]")
    scopes: dict[str, Tree] = {"": root}
    for v in sorted(variables, key=lambda v: v.name):
        parent = _scope_node(scopes, v.name.rsplit("/", 1)[0] if "/" in v.name else "")
        parent.add(_leaf(v))
    return root


def _scope_node(scopes: dict[str, Tree], path: str) -> Tree:
    if path not in scopes:
        parent_path, _, leaf = path.rpartition("/")
        scopes[path] = _scope_node(scopes, parent_path).add(f"[bold blue]{escape(leaf)}/[/]")
    return scopes[path]


def _leaf(v: TracedVariable) -> str:
    leaf = v.name.rsplit("/", 1)[-1]
    where = f"{os.path.basename(v.site[0])}:{v.site[1]}" if v.site else "TensorFlow"
    text = f"{escape(leaf)} {list(v.shape)} {v.dtype}  [dim]created {where}"
    text += f", reused by {v.reuse_sites} call site{'s' if v.reuse_sites != 1 else ''}[/]"
    if v.duplicate_sites:  # calls TF refused ("already exists"): they reused nothing
        text += (f", [bold red]created again by {v.duplicate_sites} call "
                 f"site{'s' if v.duplicate_sites != 1 else ''} without reuse[/]")
    if not v.trainable:
        text += " [dim](not trainable)[/]"
    if v.copy_of:
        text += f" [bold red]COPY of {escape(v.copy_of)}[/]"
    return text
