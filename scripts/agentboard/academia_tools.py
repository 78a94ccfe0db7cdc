"""AgentBoard's academia tools (tool-query) over its released DBLP-derived graphs.

The graphs are AgentBoard's own files, `<data>/tool-query/academia/raw/`: `paper_net.pkl` and
`author_net.pkl` (pickled networkx graphs keyed by ids) and four pickled dicts mapping paper
titles and author names to ids and back. Each tool behaves as AgentBoard's
`utils/academia/academia_tools.py` does, with the same texts: a tool answers `(ok, result)`;
every call is recorded on the episode's action path with its `Subgoal` (the result when the call
succeeded, else `Calling <tool> with <kwargs> failed`), which the tool progress rule scores.
An exception a tool does not catch propagates to the caller (the environment turns it into an
`ERROR | …` observation and records nothing), as in AgentBoard.
"""
import copy
import os
import pickle

GRAPH_FILES = ("paper_net.pkl", "author_net.pkl", "title2id_dict.pkl", "author2id_dict.pkl",
               "id2title_dict.pkl", "id2author_dict.pkl")

_cache = {}  # path -> unpickled object; the files never change during a run


def _load(folder, name):
    path = os.path.join(folder, name)
    if path not in _cache:
        with open(path, "rb") as f:
            _cache[path] = pickle.load(f)
    return _cache[path]


def _not_a_graph(graph):
    """AgentBoard's answer to an unknown graph name: it calls `.neighbors` on the name itself."""
    return False, "AttributeError('{}' object has no attribute 'neighbors')".format(type(graph).__name__)


def _failed(e):
    return False, type(e).__name__ + "(" + str(e) + ")"


class AcademiaTools:
    """One episode's toolkit: nothing is loaded until the agent calls loadPaperNet / loadAuthorNet."""

    def __init__(self, folder):
        self.folder = folder
        self.paper_net = self.author_net = None
        self.title2id = self.id2title = self.author2id = self.id2author = None

    def call(self, name, kwargs, path):
        """Runs tool `name` with `kwargs` and records it on `path`; returns the result."""
        ok, result = getattr(self, "_" + name)(**kwargs)
        subgoal = result if ok else "Calling " + name + " with " + str(kwargs) + " failed"
        path.append({"Action": name, "Action Input": str(kwargs), "Observation": result, "Subgoal": subgoal})
        return result

    def _dicts(self):
        self.title2id = _load(self.folder, "title2id_dict.pkl")
        self.id2title = _load(self.folder, "id2title_dict.pkl")
        self.author2id = _load(self.folder, "author2id_dict.pkl")
        self.id2author = _load(self.folder, "id2author_dict.pkl")

    def _loadPaperNet(self):
        self.paper_net = _load(self.folder, "paper_net.pkl")
        self._dicts()
        return True, "PaperNet is loaded."

    def _loadAuthorNet(self):
        self.author_net = _load(self.folder, "author_net.pkl")
        self._dicts()
        return True, "AuthorNet is loaded."

    def _neighbourCheck(self, graph, node):
        if graph == "PaperNet" and self.paper_net is None:
            return False, "Please load the PaperNet first."
        if graph == "AuthorNet" and self.author_net is None:
            return False, "Please load the AuthorNet first."
        try:
            if graph == "PaperNet":
                net, ids, names = self.paper_net, self.title2id, self.id2title
            elif graph == "AuthorNet":
                net, ids, names = self.author_net, self.author2id, self.id2author
            else:
                return _not_a_graph(graph)
            if node not in ids.keys():
                return False, "There is no node named {} in the {}.".format(node, graph)
            return True, [names[n] for n in net.neighbors(ids[node])]
        except Exception as e:
            return _failed(e)

    def _paperNodeCheck(self, node=None):
        if self.paper_net is None:
            return False, "Please load the PaperNet first."
        try:
            if node not in self.title2id.keys():
                return False, "There is no node named {} in the PaperNet.".format(node)
            return True, self.paper_net.nodes[self.title2id[node]]
        except Exception as e:
            return _failed(e)

    def _authorNodeCheck(self, node=None):
        if self.author_net is None:
            return False, "Please load the AuthorNet first."
        try:
            if node not in self.author2id.keys():
                return False, "There is no node named {} in the AuthorNet.".format(node)
            return True, copy.deepcopy(self.author_net.nodes[self.author2id[node]])
        except Exception as e:
            return _failed(e)

    def _edge(self, net, ids, graph, node1, node2):
        """The edge's attributes, or the failure AgentBoard reports for a missing node or edge."""
        for node in (node1, node2):
            if node not in ids.keys():
                return False, "There is no node named {} in the {}.".format(node, graph)
        if ids[node2] not in net.neighbors(ids[node1]):
            return False, "There is no edge between {} and {}.".format(node1, node2)
        return True, net.edges[ids[node1], ids[node2]]

    def _authorEdgeCheck(self, node1=None, node2=None):
        if self.author_net is None:
            return False, "Please load the AuthorNet first."
        try:
            ok, edge = self._edge(self.author_net, self.author2id, "AuthorNet", node1, node2)
            if not ok:
                return ok, edge
            named = copy.deepcopy(edge)
            for i in range(len(edge["collaborative_papers"])):
                named["collaborative_papers"][i] = self.id2title[edge["collaborative_papers"][i]]
            return True, named
        except Exception as e:
            return _failed(e)

    def _paperEdgeCheck(self, node1=None, node2=None):
        if self.paper_net is None:
            return False, "Please load the PaperNet first."
        try:
            return self._edge(self.paper_net, self.title2id, "PaperNet", node1, node2)
        except Exception as e:
            return _failed(e)

    def _finish(self, answer):
        return True, sorted(answer) if type(answer) == list else answer
