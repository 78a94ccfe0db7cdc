"""AgentBoard's tool tasks (tool-query, tool-operation) as a sidecar (family `tool`).

An episode is one line of `<data>/tool-query/test.jsonl` or `<data>/tool-operation/test.jsonl`;
the worker passes what the environment needs:

reset: {"tool": "academia", "graph_dir": "<data>/tool-query/academia/raw"}
       {"tool": "weather" | "movie" | "todo" | "sheet", ...}: not available (see below)

The first observation is the one AgentBoard's tool task gives. A step's text is read as
AgentBoard reads the agent's answer (after VanillaAgent's parser has dropped an `Action:` label):
`<tool> with Action Input: <python literal>`; anything else is a format error (invalid, no effect). The action input
is parsed with `ast.literal_eval` (AgentBoard uses `eval`; the literals it accepts are the same).
Observations are AgentBoard's texts (`ERROR | …` for a call that raised, which also makes the
step invalid); `finish` ends the episode.

step reply: observation, done, valid, match_text (null), action (the action as AgentBoard
records it in the agent's history) and subgoal_path: the `Subgoal` of every call on the action
path as of the last time AgentBoard scored it, each as canonical JSON (`canonical`), which is
how the worker's tool rule compares them with the annotated subgoals.

weather (open-meteo), movie (TMDB), todo (Todoist) and sheet (Google Sheets) call external
services; acbench does not implement them, so their reset fails with `failure: data_missing`
naming the service and the credential AgentBoard uses for it (docs/AGENTBOARD.md).
"""
import ast
import json
import math
import numbers
import os
import re
import sys

from academia_tools import GRAPH_FILES, AcademiaTools
from sidecar import Unavailable, serve

FIRST_OBSERVATION = "Once you have finished the goal, please remember to take 'finish' action to end this goal."
FORMAT_ERROR = "Format error, please response in the format of  \"Action: [your action] with Action Input: [your action input]"
ACADEMIA_ACTIONS = ["loadPaperNet", "loadAuthorNet", "neighbourCheck", "paperNodeCheck", "authorNodeCheck",
                    "authorEdgeCheck", "paperEdgeCheck", "check_valid_actions", "finish"]

# What AgentBoard's other tools call and need (agentboard/utils/<tool>/*_tools.py, assets/api_keys_tool.md).
SERVICES = {
    "weather": ("open-meteo (archive-api.open-meteo.com, geocoding-api.open-meteo.com, air-quality-api.open-meteo.com, "
                "api.open-meteo.com) over the network", None),
    "movie": ("TMDB (api.themoviedb.org) over the network", "MOVIE_KEY (a TMDB API read access token)"),
    "todo": ("Todoist (api.todoist.com) over the network", "TODO_KEY (a Todoist API token)"),
    "sheet": ("Google Sheets and Google Drive over the network",
              "a Google service-account credential.json (agentboard/utils/sheet/) and SHEET_EMAIL"),
}


def unavailable(tool):
    """Why an API-backed tool cannot run here: the service, its credential and whether it is set."""
    service, credential = SERVICES[tool]
    if credential is None:
        needs = "it needs no credential"
    else:
        variable = credential.split()[0]
        state = "set" if variable in os.environ else "not set"
        needs = f"it needs {credential}; {variable} is {state}"
    return (f"AgentBoard tool '{tool}' calls {service}, and {needs}. acbench does not implement the "
            f"'{tool}' toolkit, so this episode cannot run; narrow the task with [tasks.params] tools "
            f"(docs/AGENTBOARD.md)")


def canonical(value):
    """A subgoal as compact JSON with sorted keys, integral floats as integers (Python's `==`
    treats 2021.0 and 2021 alike); values JSON has no form for never equal an annotation."""
    def plain(v):
        if isinstance(v, bool) or v is None or isinstance(v, str):
            return v
        if isinstance(v, numbers.Integral):
            return int(v)
        if isinstance(v, numbers.Real):
            f = float(v)
            return int(f) if math.isfinite(f) and f.is_integer() and abs(f) < 2 ** 53 else f
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        return {"\u0000python": repr(v)}
    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def split_action(text):
    """AgentBoard's `extract_action_name_and_action_input`: (tool, input) or None."""
    m = re.search(r"\s*(.*?)\s*with\s*Action Input:\s*(.*?)$", text)
    return (m.group(1), m.group(2)) if m else None


class Academia:
    """AgentBoard's AcademiaEnv: dispatch, the done flag and when the path is scored."""

    def __init__(self, graph_dir):
        missing = [f for f in GRAPH_FILES if not os.path.isfile(os.path.join(graph_dir, f))]
        if missing:
            raise Unavailable(f"academia graph file {os.path.join(graph_dir, missing[0])} is missing "
                              f"(AgentBoard's data: tool-query/academia/raw/)")
        self.tools = AcademiaTools(graph_dir)
        self.path = []
        self.done = False

    def step(self, action):
        """Returns the observation and whether AgentBoard scores the path after it."""
        m = re.match(r"Action:\s*(.*?)\s*with\s*Action Input:\s*(.*?)$", action)
        name, text = m.group(1), m.group(2)
        try:
            params = ast.literal_eval(text)
        except Exception:
            return "ERROR | Exception(Parameters in action input are not valid, please change your action input.)", False
        try:
            observation = self.dispatch(name, params)
        except Exception as e:
            return "ERROR | " + type(e).__name__ + "(" + str(e) + ")", False
        self.done = "Finish" in action or "finish" in action
        return str(observation), "Invalid" not in str(observation)

    def dispatch(self, name, params):
        call = lambda tool, **kwargs: self.tools.call(tool, kwargs, self.path)
        if name == "loadPaperNet":
            return call("loadPaperNet")
        if name == "loadAuthorNet":
            return call("loadAuthorNet")
        if name in ("neighbourCheck", "neighborCheck"):
            return call("neighbourCheck", graph=params["graph"], node=params["node"])
        if name in ("authorNodeCheck", "paperNodeCheck"):
            return call(name, node=params["node"])
        if name in ("authorEdgeCheck", "paperEdgeCheck"):
            return call(name, node1=params["node1"], node2=params["node2"])
        if name == "finish":
            return call("finish", answer=params["answer"])
        if name == "check_valid_actions":
            return "You can use following valid actions: {}".format(ACADEMIA_ACTIONS)
        return "ERROR | Invalid action: {}.".format(name)


class Tool:
    def reset(self, params):
        tool = params.get("tool")
        if tool in SERVICES:
            raise Unavailable(unavailable(tool))
        if tool != "academia":
            raise ValueError(f"unknown AgentBoard tool {tool!r} (academia, weather, movie, todo, sheet)")
        self.env = Academia(str(params["graph_dir"]))
        self.scored = []
        return {"observation": FIRST_OBSERVATION, "reward": 0.0, "done": False, "match_text": None}

    def step(self, text):
        parts = split_action(text)
        if parts is None:
            return self.reply(FORMAT_ERROR, valid=False, action="")
        action = parts[0] + " with Action Input: " + parts[1]
        observation, score = self.env.step("Action: " + action)
        if score:
            self.scored = [canonical(entry["Subgoal"]) for entry in self.env.path]
        return self.reply(observation, valid=not observation.startswith("ERROR | "), action=action)

    def reply(self, observation, valid, action):
        return {"observation": observation, "done": self.env.done, "valid": valid, "action": action,
                "match_text": None, "subgoal_path": self.scored}


if __name__ == "__main__":
    sys.exit(serve("tool", Tool))
