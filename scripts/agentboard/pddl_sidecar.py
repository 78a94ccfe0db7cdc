"""PDDL planning problems (pddlgym's bundled domains) as a text game.

The state and the goal are shown as literals in text (`on a b`); an action is an operator and
its objects (`pickup a`, `stack a b`, `move rooma roomb`). Progress is scored by the worker from
`goal_literals` and the `literals` each step returns (AgentBoard's pddl rule).

reset: {"domain": "gripper" | "blocks" | ..., "problem": index}
"""
import sys

import pddlgym

from sidecar import serve

ENV_NAMES = {"gripper": "PDDLEnvGripper-v0", "blocks": "PDDLEnvBlocks-v0"}


def text(literal):
    return " ".join([literal.predicate.name] + [v.name for v in literal.variables])


class PDDL:
    def __init__(self):
        self.envs = {}

    def reset(self, params):
        domain = params["domain"]
        if domain not in self.envs:
            self.envs[domain] = pddlgym.make(ENV_NAMES.get(domain, domain))
        self.env = self.envs[domain]
        self.env.fix_problem_index(int(params.get("problem", 0)))
        self.state, _ = self.env.reset()
        goal = sorted(text(l) for l in self.state.goal.literals)
        self.goal = goal
        return {"observation": self.describe(), "goal": "The goal is to satisfy: " + ", ".join(goal) + ".",
                "goal_literals": goal, "literals": self.literals(), "reward": 0.0, "done": False, "match_text": None}

    def literals(self):
        return sorted(text(l) for l in self.state.literals)

    def describe(self):
        return "The current state: " + ", ".join(self.literals()) + "."

    def valid_actions(self):
        return {text(a): a for a in self.env.action_space.all_ground_literals(self.state, valid_only=True)}

    def step(self, action):
        action = " ".join(action.replace("(", " ").replace(")", " ").replace(",", " ").lower().split())
        valid = self.valid_actions()
        if "check valid actions" in action:
            return {"observation": "Valid actions are: " + ", ".join(sorted(valid)) + ".", "valid": True,
                    "literals": self.literals(), "done": False, "match_text": None}
        if action not in valid:
            return {"observation": "The action is not valid and therefore takes no effect. Please check valid actions.",
                    "valid": False, "literals": self.literals(), "done": False, "match_text": None}
        self.state, reward, done, _, _ = self.env.step(valid[action])
        hit = sum(1 for g in self.goal if g in set(self.literals()))
        return {"observation": self.describe(), "valid": True, "literals": self.literals(), "done": bool(done),
                "reward": hit / max(1, len(self.goal)), "match_text": None}


if __name__ == "__main__":
    sys.exit(serve("pddl", PDDL))
