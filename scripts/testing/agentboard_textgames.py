"""Builds a small AgentBoard-format data folder with real Jericho and ALFWorld games, for tests.

usage: python agentboard_textgames.py OUT   (run with .venv-agentboard's python)

OUT/jericho/  test.jsonl (one line) and z-machine-games-master/jericho-game-suite/twgame.z8, a
              Z-machine game TextWorld generates (tw-make custom, seed 1234); the subgoals are the
              first line the game prints for each step of its walkthrough.
OUT/alfworld/ test.jsonl (one line) and json_2.1.1/valid_unseen/<task>/<trial>/game.tw-pddl, the
              problem alfworld_apple.pddl packed with alfworld's alfred.pddl and alfred.twl2 the
              way alfworld-generate packs ALFRED problems.
OUT/walkthroughs.json  {"jericho": [...], "alfworld": [...]}: the actions that win each game.
"""
import json
import os
import subprocess
import sys
import warnings

import alfworld
from jericho import FrotzEnv

HERE = os.path.dirname(os.path.abspath(__file__))
ALFWORLD_TASK = "pick_and_place_simple-Apple-None-DiningTable-1/trial_T20000101_000000_000001"
ALFWORLD_GOAL = "put some apple on diningtable"
ALFWORLD_WALKTHROUGH = ["go to countertop 1", "take apple 1 from countertop 1", "go to diningtable 1",
                        "move apple 1 to diningtable 1"]
ALFWORLD_SUBGOALS = ["You arrive at (.*)countertop", "You pick up the apple", "You move the apple (.*) to the diningtable"]


def write_jsonl(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


def first_line(text):
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def make_jericho(out):
    suite = os.path.join(out, "jericho", "z-machine-games-master", "jericho-game-suite")
    os.makedirs(suite, exist_ok=True)
    game = os.path.join(suite, "twgame.z8")
    tw_make = os.path.join(os.path.dirname(sys.executable), "tw-make")
    subprocess.run([tw_make, "custom", "--world-size", "3", "--nb-objects", "4", "--quest-length", "2",
                    "--seed", "1234", "--output", game, "--silent"], check=True, stdout=sys.stderr)
    with open(os.path.join(suite, "twgame.json")) as f:
        quest = json.load(f)["quests"][0]
    walkthrough = list(quest["commands"])
    warnings.simplefilter("ignore")
    env = FrotzEnv(game)
    env.reset()
    subgoals = [first_line(env.step(action)[0]) for action in walkthrough]
    env.close()
    write_jsonl(os.path.join(out, "jericho", "test.jsonl"), [{
        "task": "jericho", "id": 0, "goal": quest["desc"], "subgoals": subgoals, "difficulty": "easy",
        "additional_info": {}}])
    return walkthrough


def make_alfworld(out):
    data = os.path.join(os.path.dirname(alfworld.__file__), "data")
    with open(os.path.join(data, "alfred.pddl")) as f:
        domain = f.read()
    with open(os.path.join(data, "alfred.twl2")) as f:
        grammar = f.read().replace("UNKNOWN GOAL", ALFWORLD_GOAL)
    with open(os.path.join(HERE, "alfworld_apple.pddl")) as f:
        problem = f.read()
    trial = os.path.join(out, "alfworld", "json_2.1.1", "valid_unseen", ALFWORLD_TASK)
    os.makedirs(trial, exist_ok=True)
    with open(os.path.join(trial, "game.tw-pddl"), "w") as f:
        json.dump({"pddl_domain": domain, "grammar": grammar, "pddl_problem": problem, "solvable": True,
                   "walkthrough": ALFWORLD_WALKTHROUGH}, f)
    write_jsonl(os.path.join(out, "alfworld", "test.jsonl"), [{
        "task": "alfworld", "id": 0, "goal": ALFWORLD_GOAL, "subgoals": ALFWORLD_SUBGOALS, "difficulty": "easy",
        "additional_info": {"description": ALFWORLD_TASK}}])
    return ALFWORLD_WALKTHROUGH


def main(out):
    walkthroughs = {"jericho": make_jericho(out), "alfworld": make_alfworld(out)}
    with open(os.path.join(out, "walkthroughs.json"), "w") as f:
        json.dump(walkthroughs, f)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
