"""Jericho (Z-machine interactive fiction) as a sidecar, played as AgentBoard's jericho task plays it.

reset: {"game_file": absolute path of the .z5/.z8 story file, optionally "init_obs": the first
observation to show (AgentBoard shows a hand-written opening per game; without it the game's own
opening text is used, copyright block removed and whitespace collapsed)}.

step: the action is cut as AgentBoard's task cuts it (text before the first `,` and `.`, at most 20
words). An action containing both "check" and "action" lists jericho's valid actions (empty for
games jericho does not fully support) and does not act. Otherwise the game steps; the observation
has its newlines and runs of spaces collapsed and `[Your score ...]` notes removed, and is the text
the subgoal patterns see (`match_text`). `valid` is false when the game answers with a `[!` parser
complaint. `reward` is the game's score / its maximum where jericho knows them (else 0); `done` is
the game's own end (the worker's jericho rule ends the episode there, a success only at progress 1).
"""
import re
import sys
import warnings

from jericho import FrotzEnv

from sidecar import serve

CHECK_REPLY = "You can take the following actions: "


def cut_action(action):
    """AgentBoard's guard against over-long commands: first clause, at most 20 words."""
    action = action.split(",")[0].split(".")[0]
    return " ".join(action.split(" ")[:20])


def clean(observation):
    text = re.sub(r"\n", " ", observation)
    text = re.sub(r" {2,}", " ", text)
    return re.sub(r"\[Your score .*?\]", "", text)


def opening(text):
    text = re.sub(r"-----([\s\S]*?)-----", "", text)
    return re.sub(r" {2,}", " ", re.sub(r"\n", " ", text)).strip()


class Jericho:
    def __init__(self):
        warnings.simplefilter("ignore")  # "unsupported game" warnings go nowhere useful
        self.env, self.game_file = None, None

    def reset(self, params):
        game_file = params["game_file"]
        if game_file != self.game_file:
            if self.env is not None:
                self.env.close()
            self.env, self.game_file = FrotzEnv(game_file), game_file
        text, _ = self.env.reset()
        self.reward, self.done = 0.0, False
        observation = params.get("init_obs") or opening(text)
        return {"observation": observation, "reward": 0.0, "done": False, "match_text": None}

    def valid_actions(self):
        try:
            return list(self.env.get_valid_actions())
        except Exception as e:  # jericho cannot enumerate actions for this game
            print(f"jericho: no valid actions: {e!r}", file=sys.stderr)
            return []

    def native_reward(self):
        try:
            top = self.env.get_max_score()
            return max(0.0, min(1.0, self.env.get_score() / top)) if top else 0.0
        except Exception:
            return 0.0

    def step(self, action):
        action = cut_action(action)
        lowered = action.strip().lower()
        if "check" in lowered and "action" in lowered:
            listing = CHECK_REPLY + ", ".join(self.valid_actions() + ["check valid actions"])
            return {"observation": listing, "reward": self.reward, "done": self.done, "valid": True, "match_text": None}
        observation, _, done, _ = self.env.step(action)
        observation = clean(observation)
        self.reward, self.done = self.native_reward(), bool(done)
        return {"observation": observation, "reward": self.reward, "done": self.done,
                "valid": "[!" not in observation, "match_text": observation}


if __name__ == "__main__":
    sys.exit(serve("jericho", Jericho))
