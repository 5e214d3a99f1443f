"""Turn a Recording into findings. Pure Python: every rule reads records, none touches TF."""

from __future__ import annotations

import re
from collections import defaultdict

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.trace import findings as F
from reuse_lint.trace.recorder import Creation, Recording, Site


def analyze(rec: Recording) -> list[Diagnostic]:
    first = _first_creations(rec)
    diags = (
        _duplicates(rec, first)
        + _missing(rec)
        + _shape_mismatches(rec, first)
        + [d for d, _ in silent_copies(rec)]
        + _cross_builder(rec, first)
        + _per_call_creations(rec)
        + _var_lists(rec)
        + _contrib(rec)
    )
    return sorted(diags, key=Diagnostic.sort_key)


def _first_creations(rec: Recording) -> dict[str, Creation]:
    first: dict[str, Creation] = {}
    for c in rec.creations:
        first.setdefault(c.name, c)
    return first


def _divergence(a: tuple[Site, ...], b: tuple[Site, ...]) -> tuple[Site, Site] | None:
    """The two call sites where stacks `a` and `b` part: the calls that made the difference.

    Identical stacks (a loop calling the same line) fall back to the innermost frames.
    """
    if not a or not b:
        return None
    for x, y in zip(a, b):
        if x.key != y.key:
            return x, y
    return a[min(len(a), len(b)) - 1], b[min(len(a), len(b)) - 1]


def _names(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _duplicates(rec: Recording, first: dict[str, Creation]) -> list[Diagnostic]:
    groups: dict[tuple, list] = defaultdict(list)
    for look in rec.lookups:
        if look.problem != "duplicate" or look.name not in first:
            continue
        pair = _divergence(first[look.name].stack, look.stack)
        if pair:
            groups[(pair[1].key, pair[0].key)].append((pair, look.name))
    out = []
    for items in groups.values():
        (orig, again), name = items[0]
        names = [n for _, n in items]
        more = f" ({len(names) - 1} more variables clash)" if len(names) > 1 else ""
        out.append(F.diagnostic(
            F.DUPLICATE_CREATION, again,
            f"variable `{name}` already exists: this call creates it again without reuse{more}; "
            f"first created by the call at {orig.label()}",
            related=[(orig, f"`{name}` first created here")],
            help="pass reuse=True (or reuse=tf.AUTO_REUSE) to the variable_scope of the second call",
        ))
    return out


def _missing(rec: Recording) -> list[Diagnostic]:
    groups: dict[tuple, list] = defaultdict(list)
    for look in rec.lookups:
        if look.problem == "missing" and look.stack:
            groups[look.stack[-1].key].append(look)
    out = []
    for looks in groups.values():
        names = [lk.name for lk in looks]
        slots = any(_is_slot(n) for n in names)
        help = (
            "optimizer slots are created under the reuse flag of the current scope; a "
            "`reuse_variables()` at the root scope leaks into them — reuse only the scope that shares"
            if slots else "create the variable first, or use reuse=tf.AUTO_REUSE"
        )
        out.append(F.diagnostic(
            F.REUSE_OF_MISSING, looks[0].stack[-1],
            f"reuse of {_names(names)}, which {'was' if len(names) == 1 else 'were'} never created "
            f"(reuse={looks[0].reuse})",
            help=help,
        ))
    return out


def _is_slot(name: str) -> bool:
    leaf = name.rstrip("/").rsplit("/", 1)[-1]
    return leaf.split("_")[0] in {"Adam", "Momentum", "RMSProp", "Adagrad", "Adadelta", "Ftrl"}


def _shape_mismatches(rec: Recording, first: dict[str, Creation]) -> list[Diagnostic]:
    out = []
    for look in rec.lookups:
        if look.problem != "shape" or not look.stack:
            continue
        made = first.get(look.name)
        related = [(made.site, f"created here with shape {list(made.shape)}")] if made and made.site else []
        out.append(F.diagnostic(
            F.SHAPE_MISMATCH, look.stack[-1],
            f"reuse of `{look.name}` asks for shape {list(look.shape or ())} but it was created "
            f"with shape {list(look.found_shape or ())}",
            related=related,
        ))
    return out


def silent_copies(rec: Recording) -> list[tuple[Diagnostic, list[tuple[Creation, Creation]]]]:
    """RT204 findings, each with its (original, copy) variable pairs."""
    groups = _copy_groups(rec)
    scopes = _scopes(rec)
    out, seen_copy_sites = [], set()
    for (orig_key, copy_key), (orig, again, pairs) in groups.items():
        if copy_key in seen_copy_sites:
            continue  # a third call: report it once, against the first original
        if not any(_unique_suffixed(a.name, b.name, scopes) for a, b in pairs):
            continue  # the caller named each set on purpose: encoder/proj, tower_0 and tower_1
        if rec.chained and rec.chained([a.handle for a, _ in pairs], [b.handle for _, b in pairs]):
            continue  # one copy feeds the other: stacked blocks, meant to differ
        seen_copy_sites.add(copy_key)
        copy, original = pairs[0][1].name, pairs[0][0].name
        out.append((F.diagnostic(
            F.SILENT_COPY, again,
            f"this call builds its own copy of the {len(pairs)} weight"
            f"{'s' if len(pairs) > 1 else ''} built by the call at {orig.label()} instead of "
            f"sharing them: `{copy}` copies `{original}`",
            related=[(orig, f"original `{pairs[0][0].name}` created by this call")],
            help="share the weights: a fixed variable_scope name with reuse=True for the second "
                 "call, or build the Keras layers once outside the builder",
        ), pairs))
    return out


_SUFFIX = re.compile(r"^(.*)_(\d+)$")


def _scopes(rec: Recording) -> set[str]:
    """The name of every scope that holds variables: `d` and `dense` for `d/dense/kernel`."""
    found = set()
    for c in rec.creations:
        found.update(c.name.split("/")[:-1])
    return found


def _unique_suffixed(original: str, copy: str, scopes: set[str]) -> bool:
    """The copy's name is the original's made unique by TensorFlow or Keras
    (`discriminator_1/`, `dense_2/`), not a name somebody chose (`tower_1/` next to
    `tower_0/`). TensorFlow adds `_N` only to a name already taken, so where the two differ,
    the copy's part must be `base_N` with a scope named `base` somewhere (Keras counts layer
    names across the graph: `discriminator/dense_3` copies into `discriminator_1/dense_6`
    because `generator/dense` took the name)."""
    a, b = original.split("/"), copy.split("/")
    if original == copy or len(a) != len(b):
        return False
    for i, (x, y) in enumerate(zip(a, b)):
        if x == y:
            continue
        suffixed = _SUFFIX.match(y)
        if suffixed is None:
            return False
        base = suffixed.group(1)
        if x != base and (_SUFFIX.match(x) is None or _SUFFIX.match(x).group(1) != base):
            return False
        if base not in scopes:
            return False
    return True


def _copy_groups(rec: Recording) -> dict:
    """Pair creations made by the same source lines (same shape) from different call sites."""
    buckets = _buckets_by_innermost(rec)
    groups: dict[tuple, tuple] = {}
    for members in buckets.values():
        for i, later in enumerate(members):
            for earlier in members[:i]:
                split = _split(earlier.stack, later.stack)
                if split is None:
                    continue
                orig, again = split
                key = (orig.key, again.key)
                entry = groups.setdefault(key, (orig, again, []))
                if not any(b is later or a is earlier for a, b in entry[2]):
                    entry[2].append((earlier, later))
    return groups


def _buckets_by_innermost(rec: Recording) -> dict[tuple, list[Creation]]:
    """Candidates for a copy: trainable, made by the same line, same depth, shape and dtype."""
    buckets: dict[tuple, list[Creation]] = defaultdict(list)
    for c in rec.creations:
        if c.trainable and len(c.stack) >= 2:
            buckets[(c.stack[-1].key, len(c.stack), c.shape, c.dtype)].append(c)
    return buckets


def _split(a: tuple[Site, ...], b: tuple[Site, ...]) -> tuple[Site, Site] | None:
    """Where two equally deep stacks part, if everything below that point is the same code."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x.key != y.key:
            same_below = all(p.key == q.key for p, q in zip(a[i + 1:], b[i + 1:]))
            return (x, y) if same_below and i < len(a) - 1 else None
    return None


def _cross_builder(rec: Recording, first: dict[str, Creation]) -> list[Diagnostic]:
    groups: dict[tuple, list] = defaultdict(list)
    for look in rec.lookups:
        made = first.get(look.name)
        if look.problem is not None or not look.stack or made is None or made.site is None:
            continue
        if look.stack[-1].builder != made.site.builder and not _asked_for(look):
            groups[(look.stack[-1].key, made.site.builder)].append((look, made))
    out = []
    for items in groups.values():
        look, made = items[0]
        names = [lk.name for lk, _ in items]
        out.append(F.diagnostic(
            F.CROSS_BUILDER_SHARING, look.stack[-1],
            f"`{look.stack[-1].function}` reuses {_names(names)} created by "
            f"`{made.site.function}` at {made.site.label()} (reuse={look.reuse})",
            related=[(made.site, f"`{made.name}` created here")],
            help="give each builder its own variable_scope; use AUTO_REUSE only around one builder",
        ))
    return out


def _asked_for(look) -> bool:
    """The reusing builder itself wrote reuse=True or reuse_variables(): sharing on purpose
    (a sampler rebuilding the generator, tied weights). AUTO_REUSE asks for nothing: it
    creates or reuses, whichever the names happen to allow."""
    return look.origin is not None and look.origin == ("True", look.stack[-1].builder)


def model_scope(name: str) -> str:
    return name.split("/", 1)[0] if "/" in name else "(root)"


def _var_lists(rec: Recording) -> list[Diagnostic]:
    out = []
    for kind, site in rec.empty_var_lists:
        if site:
            out.append(F.diagnostic(
                F.OPTIMIZER_VAR_LIST, site, f"{kind}.minimize got an empty var_list: it trains nothing",
                help="check the scope name passed to tf.get_collection / tf.trainable_variables",
            ))
    for opt in rec.optimizers:
        out += _trains_anothers_model(rec, opt)
    out += _prefix_selections(rec)
    out += _partly_trained(rec)
    return out


def _model(rec: Recording, name: str) -> str:
    """The model a variable belongs to: its Keras model in TF 2, else its top scope."""
    return rec.model_of.get(name) or model_scope(name)


def _models(rec: Recording, names) -> frozenset:
    return frozenset(_model(rec, n) for n in names)


def wrongly_trained(rec: Recording, opt) -> frozenset:
    """Models that `opt`, taking every trainable variable, trains although they are evidently
    another step's: the static `wrongly_trained` (engine/queries.py) on what TF really did.

    A loss reaching two models is no bug by itself (a VAE's encoder and decoder, an A3C
    trunk under two heads). It is one when another optimizer of the graph trains one of
    them with a list of its own (a GAN's discriminator step, DDPG's actor step), or when two
    steps without lists reach the very same models: each then trains its adversary.
    """
    reached = _models(rec, opt.var_list)  # the variables its gradients reach
    if not opt.takes_all or len(reached) < 2:
        return frozenset()
    wrong: set[str] = set()
    for other in rec.optimizers:
        if other is opt or other.graph != opt.graph:
            continue
        if not other.takes_all:
            wrong |= _models(rec, other.var_list) & reached
        elif _models(rec, other.var_list) == reached and _key(other.site) != _key(opt.site):
            wrong |= reached
    return frozenset(wrong)


def _key(site: Site | None):
    return site.key if site else None


def _trains_anothers_model(rec: Recording, opt) -> list[Diagnostic]:
    wrong = wrongly_trained(rec, opt)
    if not wrong or opt.site is None:
        return []
    if rec.model_of:  # TF 2: apply_gradients got the variables of several Keras models
        models = ", ".join(f"model `{m}`" for m in sorted(wrong))
        return [F.diagnostic(
            F.OPTIMIZER_VAR_LIST, opt.site,
            f"{opt.kind}.apply_gradients gets every trainable variable, so it also trains "
            f"{models}, which another optimizer trains as its own",
            help="take the gradients of each loss w.r.t. its own model's trainable_variables only",
        )]
    models = ", ".join(f"`{m}/`" for m in sorted(wrong))
    if opt.keras_model:  # TF 1 Keras: a compiled model trains every weight it holds
        owners = sorted({o.keras_model for o in rec.optimizers if o is not opt and o.keras_model
                         and set(o.var_list) & set(opt.var_list)})
        shared = ", ".join(f"`{m}`" for m in owners) or "the other model"
        return [F.diagnostic(
            F.OPTIMIZER_VAR_LIST, opt.site,
            f"the training step of Keras model `{opt.keras_model}` ({opt.kind}) also trains {models}, "
            f"the weights of {shared}, which another step trains as its own",
            help=f"set `trainable = False` on {shared} before compiling `{opt.keras_model}`",
        )]
    how = "without var_list" if opt.implicit else "with every trainable variable as var_list"
    return [F.diagnostic(
        F.OPTIMIZER_VAR_LIST, opt.site,
        f"{opt.kind} is applied {how}, so it also trains {models}, which another step trains as its own",
        help="pass var_list=tf.trainable_variables('<model scope>/') so each step trains one model",
    )]


def _prefix_selections(rec: Recording) -> list[Diagnostic]:
    trained = {n for opt in rec.optimizers for n in opt.var_list}
    # Silent copies (`discriminator_1/`) that a prefix also takes: RT204 names their cause,
    # as the static RL108 leaves default-name copies to RL105.
    copies = {b.name for _, pairs in silent_copies(rec) for _, b in pairs}
    out = []
    for sel in rec.selections:
        prefix = sel.scope.rstrip("/") + "/"
        stray = [n for n in sel.names if not n.startswith(prefix) and n in trained and n not in copies]
        if not stray or sel.site is None:
            continue
        models = ", ".join(f"`{m}/`" for m in sorted(_models(rec, stray)))
        out.append(F.diagnostic(
            F.OPTIMIZER_VAR_LIST, sel.site,
            f"scope `{sel.scope}` also selected {models} ({_names(stray)}), and an optimizer "
            "trains them: TensorFlow matches the scope as a prefix",
            help=f'end the scope with a slash: "{prefix}"',
        ))
    return out


def _partly_trained(rec: Recording) -> list[Diagnostic]:
    """Trainable variables no optimizer trains, in a model whose other variables are
    trained: a var_list that missed some (batch-norm parameters in another collection).
    A model no step trains at all (a DQN target network) is left alone."""
    if not rec.optimizers or any(opt.takes_all for opt in rec.optimizers):
        return []
    trained = {n for opt in rec.optimizers for n in opt.var_list}
    trained_models = _models(rec, trained)
    missing: dict[str, list[Creation]] = defaultdict(list)
    for c in rec.creations:
        if c.trainable and c.name not in trained and c.site is not None and _model(rec, c.name) in trained_models:
            missing[_model(rec, c.name)].append(c)
    given = {n: opt for opt in rec.optimizers for n in opt.no_gradient}
    out = []
    for scope, made in missing.items():
        # Two different mistakes: a var_list that leaves the variables out, and a loss that
        # does not reach variables the var_list holds (a stop_gradient, an unused branch).
        listed = [c for c in made if c.name in given]
        unlisted = [c for c in made if c.name not in given]
        if unlisted:
            out.append(F.diagnostic(
                F.OPTIMIZER_VAR_LIST, unlisted[0].site,
                f"{_count(unlisted)} of {scope}/ ({_names([c.name for c in unlisted])}) "
                f"{'are' if len(unlisted) > 1 else 'is'} in no optimizer's var_list, although "
                "the rest of the model is trained",
                help="add them to a var_list, or create them with trainable=False",
            ))
        if listed:
            opt = given[listed[0].name]
            where = f" at {opt.site.label()}" if opt.site else ""
            out.append(F.diagnostic(
                F.OPTIMIZER_VAR_LIST, listed[0].site,
                f"{_count(listed)} of {scope}/ ({_names([c.name for c in listed])}) "
                f"{'are' if len(listed) > 1 else 'is'} in the var_list of {opt.kind}{where} but "
                f"{'get' if len(listed) > 1 else 'gets'} no gradient: its loss does not depend "
                f"on {'them' if len(listed) > 1 else 'it'}",
                help="check that the loss is computed through these variables (no stop_gradient, "
                     "no unused branch), or create them with trainable=False",
            ))
    return out


def _count(made: list[Creation]) -> str:
    return f"{len(made)} trainable variable{'s' if len(made) > 1 else ''}"


def _contrib(rec: Recording) -> list[Diagnostic]:
    return [
        F.diagnostic(F.MISSING_CONTRIB, site, f"`tf.contrib.{name}` has no replacement in tf_slim or "
                     "tf.compat.v1; the trace stopped here")
        for name, site in rec.missing_contrib if site
    ]


def _per_call_creations(rec: Recording) -> list[Diagnostic]:
    """RT208: a line in a user Keras layer's or model's call that made trainable variables
    on one call of the object and again on a later call of the same object."""
    first: dict[tuple, Creation] = {}
    again: dict[tuple, list[Creation]] = defaultdict(list)
    for c in rec.creations:
        if not c.trainable or c.owner is None or c.site is None:
            continue
        key = (c.owner[0], (c.call_site or c.site).key)
        earlier = first.setdefault(key, c)
        if earlier is not c and earlier.owner[2] != c.owner[2]:
            again[key].append(c)
    out = []
    for key, copies in again.items():
        orig = first[key]
        later = copies[0]
        calls = sorted({c.owner[2] for c in copies})
        out.append(F.diagnostic(
            F.PER_CALL_CREATION, later.call_site or later.site,
            f"call {later.owner[2]} of this `{later.owner[1]}` created new weights here "
            f"(`{later.name}`), as its call {orig.owner[2]} did (`{orig.name}`): they are "
            f"made again on every call and never trained"
            + (f" ({len(calls)} later calls did)" if len(calls) > 1 else ""),
            related=[(orig.call_site or orig.site, f"first made on call {orig.owner[2]}: `{orig.name}`")],
            help="create the layer or variable once, in `__init__` or `build()`, and only apply it in `call`",
        ))
    return out

