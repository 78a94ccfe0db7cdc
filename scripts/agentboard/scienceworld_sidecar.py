"""ScienceWorld as a sidecar, set up as AgentBoard sets it up (step limit 30, simplifications
selfWateringFlowerPots, openContainers, openDoors, noElectricalAction; the first observation is
`look around` followed by the inventory).

reset: {"task": name, "variation": int} (annotated episodes) or {"task": name, "seed": int}
(a test-split variation drawn with `random.Random(seed)`).
step reply: observation, reward (ScienceWorld's own score / 100, at least 0), done, valid,
match_text (the observation; null for `check valid actions`).
"""
import random
import sys

from scienceworld import ScienceWorldEnv

from sidecar import serve

SIMPLIFICATIONS = "selfWateringFlowerPots,openContainers,openDoors,noElectricalAction"
STEP_LIMIT = 30


class ScienceWorld:
    def __init__(self):
        self.env = ScienceWorldEnv("", envStepLimit=STEP_LIMIT)

    def reset(self, params):
        task = params["task"]
        if "variation" in params:
            variation = int(params["variation"])
            self.env.load(task, variation, simplificationStr=SIMPLIFICATIONS)
        else:
            self.env.load(task, 0, simplificationStr=SIMPLIFICATIONS)
            variation = random.Random(int(params.get("seed", 0))).choice(self.env.get_variations_test())
            self.env.load(task, variation, simplificationStr=SIMPLIFICATIONS)
        obs, _ = self.env.reset()
        self.reward, self.done = 0.0, False
        return {"observation": obs + "\n" + self.env.inventory(), "goal": self.env.get_task_description(),
                "variation": variation, "reward": 0.0, "done": False, "match_text": None}

    def step(self, action):
        action = action.strip()
        if action == "check valid actions":
            actions = [a for a in self.env.get_possible_actions() if "reset" not in a] + ["check valid actions"]
            return {"observation": "Choose an action from these valid actions: " + ", ".join(actions),
                    "reward": self.reward, "done": self.done, "valid": True, "match_text": None}
        obs, _, done, info = self.env.step(action)
        self.reward = max(0.0, info["score"] / 100.0)
        self.done = bool(done) and info["score"] >= 100
        valid = not obs.startswith("No known action matches")
        return {"observation": obs, "reward": self.reward, "done": self.done, "valid": valid, "match_text": obs}


if __name__ == "__main__":
    sys.exit(serve("scienceworld", ScienceWorld))
