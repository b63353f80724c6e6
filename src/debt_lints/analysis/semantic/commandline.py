"""The command line and the tests on it; code that runs only in-process.

Answers *whether a value comes from the command line* (``sys.argv``, a parser's
result, a command's parameters: :meth:`CommandLineModel.from_command_line`),
*whether a literal stands in only for an argument the command line leaves out*
(:meth:`CommandLineModel.command_line_default`), and *whether code runs only
over an in-process or local transport, or where a configured host is loopback*
(:meth:`CommandLineModel.in_process_only`,
:meth:`CommandLineModel.loopback_configured`).
"""

from __future__ import annotations

import ast

from debt_lints.analysis.context import FUNCTIONS
from debt_lints.analysis.literals import is_loopback_host, last_name
from debt_lints.analysis.nodes import walk
from debt_lints.analysis.semantic.bindings import _CONTAINER, _MAX_DEPTH, Def, _imported
from debt_lints.analysis.semantic.calls import CallModel


class CommandLineModel(CallModel):
    """The command line and the tests on values: in-process only, loopback configured."""

    def loopback_configured(self, node: ast.AST) -> bool:
        """``node`` runs only where a configured host is already loopback: in the body of
        an ``if`` whose test holds only then (``if host in ("localhost", "::1") or
        host.startswith("127."):``), in the function ``node`` is written in. A loopback
        spelling written there (``hosts = [host, "127.0.1.1"]``) assumes nothing the
        configuration did not say."""
        child = node
        for ancestor in self._ancestors(node):
            if (
                isinstance(ancestor, ast.If)
                and child in ancestor.body
                and _holds_only_for_loopback(ancestor.test)
            ):
                return True
            if isinstance(ancestor, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
                return False
            child = ancestor
        return False

    def in_process_only(self, node: ast.AST) -> bool:
        """``node`` runs only where a tested transport or address is in-process or local
        to this machine: in the branch of an ``if`` (or a conditional expression) whose
        test holds only then (``if protocol == "inproc":``, ``address.startswith(("ipc://",
        "unix://"))``, ``sock.family == socket.AF_UNIX``; the ``else`` of ``!=``, ``not
        in`` or ``not ...startswith``), in the function ``node`` is written in. A loopback
        host chosen there names the machine the transport already confines the peer to.
        Only a test of a transport's name, scheme or socket family counts: a flag
        (``if local:``) says nothing of where the peer is."""
        child = node
        for ancestor in self._ancestors(node):
            if isinstance(ancestor, (ast.If, ast.IfExp)) and child is not ancestor.test:
                inside = (
                    child in ancestor.body
                    if isinstance(ancestor, ast.If)
                    else (child is ancestor.body)
                )
                if self._only_in_process(ancestor.test, negated=not inside):
                    return True
            if isinstance(ancestor, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
                return False
            child = ancestor
        return False

    def _only_in_process(self, test: ast.expr, *, negated: bool) -> bool:
        """``test`` (its negation when ``negated``) holds only when a transport is
        in-process or local: every part of an ``or``, one part of an ``and``."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._only_in_process(test.operand, negated=not negated)
        if isinstance(test, ast.BoolOp):
            parts = [self._only_in_process(v, negated=negated) for v in test.values]
            # not (a or b) is (not a and not b): De Morgan swaps which parts must hold.
            return all(parts) if isinstance(test.op, ast.Or) != negated else any(parts)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            if isinstance(test.left, ast.Constant):
                return False
            if isinstance(op, ast.NotEq if negated else ast.Eq):
                return self._in_process_values([right])
            if isinstance(op, ast.NotIn if negated else ast.In) and isinstance(right, _CONTAINER):
                return self._in_process_values(right.elts)
            return False
        if (
            not negated
            and isinstance(test, ast.Call)
            and isinstance(test.func, ast.Attribute)
            and test.func.attr == "startswith"
            and len(test.args) == 1
            and not test.keywords
        ):
            prefixes = test.args[0].elts if isinstance(test.args[0], ast.Tuple) else [test.args[0]]
            return self._in_process_values(prefixes)
        return False

    def _in_process_values(self, items: list[ast.expr]) -> bool:
        """Every item names an in-process or local transport: ``"inproc"``, ``"ipc://"``,
        ``"unix"``, ``socket.AF_UNIX``."""
        return bool(items) and all(
            (
                isinstance(i, ast.Constant)
                and isinstance(i.value, str)
                and i.value.lower().removesuffix("://").removesuffix(":") in _IN_PROCESS
            )
            or self.ctx.resolve(i) == "socket.AF_UNIX"
            for i in items
        )

    # --- what the command line gives (DL301's command-line defaults) ----------------------------

    def from_command_line(self, node: ast.expr) -> bool:
        """Whether the value of ``node`` is read from the command line: ``sys.argv`` (an
        entry, a slice), what ``parse_args()``, ``parse_known_args()``, ``getopt()`` or
        ``docopt()`` return and their attributes and items, a parameter of a click or typer command,
        a parameter named as the parsed command line is (``args``, ``argv``, ``opts``,
        ``cli_args``, ``parsed_args``: a command's ``main(args)`` gets it from another
        module) or that every call of this file passes such a value, and what a method of
        such a value returns (``target.split(":", 1)``, ``host.strip()``). Followed
        through this file's names; another function's result (``load(args.config)``)
        is not the command line."""
        return self._from_command_line(node, 0, set())

    def _from_command_line(self, node: ast.AST, depth: int, seen: set[int]) -> bool:
        if depth > _MAX_DEPTH or id(node) in seen:
            return False
        seen.add(id(node))
        deeper = depth + 1
        if isinstance(node, (ast.Name, ast.Attribute)) and self.ctx.resolve(node) == "sys.argv":
            return True
        if isinstance(node, ast.Name):
            defs = self.reaching(node)
            return bool(defs) and all(self._def_from_command_line(d, deeper, seen) for d in defs)
        if isinstance(node, ast.Attribute):
            if _imported(node, self.ctx) or self._self_class(node) is not None:
                return False
            return self._from_command_line(node.value, deeper, seen)
        if isinstance(node, (ast.Subscript, ast.Starred)):
            return self._from_command_line(node.value, deeper, seen)
        if isinstance(node, ast.Call):
            func = node.func
            if last_name(func) in _COMMAND_LINE_PARSES:
                return True
            if _namespace_dict(node):  # vars(parser.parse_args())["host"]
                return self._from_command_line(node.args[0], deeper, seen)
            if isinstance(func, ast.Attribute) and not _imported(func, self.ctx):
                return self._from_command_line(func.value, deeper, seen)  # target.split(":")
            if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1:
                return self._from_command_line(node.args[0], deeper, seen)
            return False
        if isinstance(node, ast.BoolOp):
            return all(self._from_command_line(v, deeper, seen) for v in node.values)
        if isinstance(node, ast.IfExp):
            return self._from_command_line(node.body, deeper, seen) and self._from_command_line(
                node.orelse, deeper, seen
            )
        return False

    def _def_from_command_line(self, d: Def, depth: int, seen: set[int]) -> bool:
        if d.kind == "assign" and d.value is not None:
            return self._from_command_line(d.value, depth, seen)
        if isinstance(d.node, (ast.Assign, ast.AnnAssign)) and d.node.value is not None:
            return self._from_command_line(d.node.value, depth, seen)  # host, port = x.split()
        if isinstance(d.node, (ast.For, ast.AsyncFor, ast.comprehension)):
            return self._from_command_line(d.node.iter, depth, seen)
        if d.kind != "param":
            return False
        function = d.scope.node
        if not isinstance(function, FUNCTIONS) or d.node in (
            function.args.vararg,
            function.args.kwarg,
        ):
            return False  # *args: a caller's positional arguments, not the command line
        if any(
            (
                self.ctx.resolve(decorator.func if isinstance(decorator, ast.Call) else decorator)
                or ""
            ).split(".", 1)[0]
            in _COMMAND_LINE_LIBRARIES
            for decorator in function.decorator_list
        ):
            return True  # @click.command() @click.argument("target") def main(target)
        if d.name in _COMMAND_LINE_NAMES or d.name.endswith(("_args", "_argv")):
            return True
        arguments = self._arguments(d)
        return bool(arguments) and all(self._from_command_line(a, depth, seen) for a in arguments)

    def command_line_default(self, node: ast.expr) -> bool:
        """``node`` stands in only for a value the command line leaves out, as an
        option's ``default=`` does: the fallback of a value read from it (``args.host or
        "localhost"``, ``sys.argv[1] if len(sys.argv) > 1 else "localhost"``, ``if not
        opts.host: opts.host = "localhost"``), the part of a ``[host:]port`` argument
        the code fills in when only a port is given (``if ":" in target: host, port =
        target.split(":", 1) else: host, port = "localhost", target``), a value the
        next ``if`` on the command line replaces with its argument (``host =
        "localhost"`` then ``if len(sys.argv) > 1: host = sys.argv[1]``) or one assigned
        when reading the argument fails (``except IndexError:``). The test of the ``if``
        must look at the value the other branch reads (:meth:`from_command_line`)."""
        parent = self.parents.get(node)
        if isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or):
            return parent.values[-1] is node and all(
                self.from_command_line(v) for v in parent.values[:-1]
            )
        if isinstance(parent, ast.IfExp) and node is not parent.test:
            other = parent.orelse if node is parent.body else parent.body
            return self._chosen_by(parent.test, other)
        assigned = self._assigned_target(node, parent)
        if assigned is None:
            return False
        statement, target = assigned
        holder = self.parents.get(statement)
        if (
            isinstance(holder, ast.If)
            and statement in holder.body
            and (_tests_missing(holder.test, target))
        ):
            return any(  # if not opts.broker: opts.broker = "amqp://localhost"
                _same_target(read, target) and self.from_command_line(read)
                for read in walk(holder.test)
                if isinstance(read, (ast.Name, ast.Attribute))
            )
        if isinstance(holder, ast.If):
            other_branch = holder.orelse if statement in holder.body else holder.body
            return any(
                self._chosen_by(holder.test, value)
                for value in _values_assigned(other_branch, target)
            )
        if isinstance(holder, ast.ExceptHandler):
            attempt = self.parents.get(holder)
            return isinstance(attempt, ast.Try) and any(
                self.from_command_line(value) for value in _values_assigned(attempt.body, target)
            )
        block = next(
            (
                body
                for field in ("body", "orelse", "finalbody")
                if isinstance(body := getattr(holder, field, None), list) and statement in body
            ),
            None,
        )
        if block is None:
            return False
        later = block[block.index(statement) + 1 :]
        return any(
            isinstance(guard, ast.If)
            and any(self._chosen_by(guard.test, v) for v in _values_assigned(guard.body, target))
            for guard in later
        )

    def _assigned_target(
        self, value: ast.AST, parent: ast.AST | None
    ) -> tuple[ast.stmt, ast.expr] | None:
        """``(statement, target)`` when ``value`` is what one target receives: ``host =
        value``, ``opts.host = value``, or an element of ``host, port = value, target``."""
        node = value
        index: int | None = None
        if isinstance(parent, ast.Tuple):
            index = next((i for i, e in enumerate(parent.elts) if e is value), None)
            if index is None:
                return None
            node, parent = parent, self.parents.get(parent)
        if not (
            isinstance(parent, ast.Assign) and len(parent.targets) == 1 and parent.value is node
        ):
            return None
        target = parent.targets[0]
        if index is not None:
            if not (
                isinstance(node, ast.Tuple)
                and isinstance(target, (ast.Tuple, ast.List))
                and len(target.elts) == len(node.elts)
                and not any(isinstance(e, ast.Starred) for e in target.elts)
            ):
                return None
            target = target.elts[index]
        if not isinstance(target, (ast.Name, ast.Attribute)):
            return None
        return parent, target

    def _chosen_by(self, test: ast.expr, value: ast.expr) -> bool:
        """``value`` is read from the command line and ``test`` looks at what it reads:
        ``len(sys.argv) > 1`` and ``sys.argv[1]``, ``":" in target`` and
        ``target.split(":")``; not ``args.local`` and ``args.host``."""
        if not self.from_command_line(value):
            return False
        inside = {ast.dump(n) for n in walk(value) if isinstance(n, _CHAINS)}
        return any(
            ast.dump(n) in inside and self.from_command_line(n)
            for n in walk(test)
            if isinstance(n, _CHAINS) and not isinstance(self.parents.get(n), _CHAINS)
        )


def _holds_only_for_loopback(test: ast.expr) -> bool:
    """A test that holds only when a value is loopback: ``x == "localhost"``, ``x in
    ("localhost", "::1")``, ``x.startswith("127.")``; every part of an ``or``, one
    part of an ``and``."""
    if isinstance(test, ast.BoolOp):
        parts = [_holds_only_for_loopback(v) for v in test.values]
        return all(parts) if isinstance(test.op, ast.Or) else any(parts)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        if isinstance(test.left, ast.Constant):
            return False
        right = test.comparators[0]
        if isinstance(test.ops[0], ast.Eq):
            return _loopback_literals([right])
        if isinstance(test.ops[0], ast.In) and isinstance(right, _CONTAINER):
            return _loopback_literals(right.elts)
        return False
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr == "startswith"
        and len(test.args) == 1
        and not test.keywords
    ):
        prefixes = test.args[0].elts if isinstance(test.args[0], ast.Tuple) else [test.args[0]]
        return bool(prefixes) and all(
            isinstance(p, ast.Constant)
            and isinstance(p.value, str)
            and p.value in _LOOPBACK_PREFIXES
            for p in prefixes
        )
    return False


#: Calls that return the parsed command line (argparse, optparse, getopt, docopt).
_COMMAND_LINE_PARSES = frozenset(
    {"parse_args", "parse_known_args", "getopt", "gnu_getopt", "docopt"}
)


def _namespace_dict(call: ast.Call) -> bool:
    """``vars(x)``: the dictionary of ``x``'s attributes, which holds what ``x`` holds."""
    func = call.func
    return (
        isinstance(func, ast.Name)
        and func.id == "vars"
        and len(call.args) == 1
        and not isinstance(call.args[0], ast.Starred)
        and not call.keywords
    )


#: Libraries whose decorated functions' parameters are the command line's values.
_COMMAND_LINE_LIBRARIES = frozenset({"click", "typer"})
#: Parameter names that hold the parsed command line by convention.
_COMMAND_LINE_NAMES = frozenset({"args", "argv", "opts"})
#: A value read from an object, by attribute or item: a chain the model follows.
_CHAINS = (ast.Name, ast.Attribute, ast.Subscript)


def _values_assigned(body: list[ast.stmt], target: ast.expr) -> list[ast.expr]:
    """The values the statements of ``body`` (not functions nested in them) give
    ``target``: ``host = v``, and ``v`` of ``host, port = v`` (its element when ``v`` is
    a tuple of as many)."""
    out: list[ast.expr] = []
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Assign):
            for assigned in node.targets:
                if _same_target(assigned, target):
                    out.append(node.value)
                elif isinstance(assigned, (ast.Tuple, ast.List)):
                    for i, elt in enumerate(assigned.elts):
                        if not _same_target(elt, target):
                            continue
                        value = node.value
                        if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(
                            assigned.elts
                        ):
                            out.append(value.elts[i])
                        else:
                            out.append(value)
    return out


#: Transports whose peer is in this process or on this machine, by name or scheme.
_IN_PROCESS = frozenset({"inproc", "ipc", "unix"})

#: Prefixes that only loopback addresses start with.
_LOOPBACK_PREFIXES = frozenset({"127."})


def _loopback_literals(items: list[ast.expr]) -> bool:
    return bool(items) and all(
        isinstance(i, ast.Constant) and isinstance(i.value, str) and is_loopback_host(i.value)
        for i in items
    )


def _same_target(a: ast.AST, b: ast.AST) -> bool:
    """``host`` read and ``host`` assigned: the same name or attribute chain."""
    if isinstance(a, ast.Name) and isinstance(b, ast.Name):
        return a.id == b.id
    if isinstance(a, ast.Attribute) and isinstance(b, ast.Attribute):
        return a.attr == b.attr and _same_target(a.value, b.value)
    return False


def _tests_missing(test: ast.expr, target: ast.AST) -> bool:
    """``not x``, ``x is None``, ``x == ""`` or ``x == "mongodb://"``: ``x`` is missing
    or a stub a default completes; also as one part of a conjunction (``x is None and
    not interface``), which holds only when ``x`` is missing."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _same_target(test.operand, target)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        # ``x is None and not interface``: the value still replaces only a missing ``x``
        return any(_tests_missing(value, target) for value in test.values)
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.Eq))
        and isinstance(test.comparators[0], ast.Constant)
        and _same_target(test.left, target)
    )
