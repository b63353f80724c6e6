"""Graph algorithms the whole-repository rules share: components, cycles, families.

Plain functions over string nodes, iterative (a chain of 100,000 imports must
not hit the recursion limit) and deterministic: results never depend on the
order in which nodes or edges were given.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping


def strongly_connected(successors: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of the graph, each sorted, in sorted order.

    ``successors`` maps each node to the nodes it points to; a node that only
    appears as a successor is a node too. Tarjan's algorithm, iterative, over
    sorted nodes and edges (so the result is independent of input order).
    """
    graph: dict[str, list[str]] = {}
    for node, targets in successors.items():
        graph.setdefault(node, [])
        for target in targets:
            graph.setdefault(target, [])
    for node, targets in successors.items():
        graph[node] = sorted(set(targets))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = graph[node]
            while position < len(targets):
                target = targets[position]
                position += 1
                if target not in index:
                    work.append((node, position))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    components.sort()
    return components


def shortest_cycle(start: str, successors: Mapping[str, Iterable[str]]) -> list[str]:
    """The shortest path from ``start`` back to itself, ``[start, ..., start]``.

    Breadth-first over sorted successors, so ties go to the smallest names.
    ``[]`` when there is no such cycle.
    """
    previous: dict[str, str] = {}
    queue: deque[str] = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for target in sorted(set(successors.get(node, ()))):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                path.reverse()
                return [*path, start]
            if target not in seen:
                seen.add(target)
                previous[target] = node
                queue.append(target)
    return []


def families(pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected groups of the undirected pairs (union-find), each sorted, in sorted order."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            # The smaller name becomes the root: deterministic whatever the order.
            if root_b < root_a:
                root_a, root_b = root_b, root_a
            parent[root_b] = root_a
    groups: dict[str, list[str]] = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    return sorted(sorted(group) for group in groups.values())
