import ast, textwrap
def extract(path, qual):
    src = open(path).read(); tree = ast.parse(src)
    cls, _, meth = qual.rpartition(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and (not cls or node.name == cls):
            for f in node.body:
                if isinstance(f, ast.FunctionDef) and f.name == meth:
                    seg = ast.get_source_segment(src, f)
                    # keep decorators
                    start = min([d.lineno for d in f.decorator_list] + [f.lineno])
                    lines = src.splitlines()[start - 1:f.end_lineno]
                    return textwrap.dedent("\n".join(lines))
        if not cls and isinstance(node, ast.FunctionDef) and node.name == meth:
            lines = src.splitlines()[min([d.lineno for d in node.decorator_list] + [node.lineno]) - 1:node.end_lineno]
            return textwrap.dedent("\n".join(lines))
    raise KeyError(qual)
def load(path, qual, ns):
    code = extract(path, qual)
    exec(compile(code, path + "::" + qual, "exec"), ns)
    return ns[qual.rpartition(".")[2]]
