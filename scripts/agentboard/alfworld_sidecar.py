"""ALFWorld (TextWorld's PDDL backend) as a sidecar, set up as AgentBoard's alfworld environment.

reset: {"game_file": absolute path of an ALFWorld `game.tw-pddl`}. The game is loaded as
alfworld's AlfredTWEnv loads evaluation games (AlfredDemangler without shuffling, AlfredInfos,
the won flag and admissible commands requested, 50 steps per episode). The first observation is
the intro's room description, the goal the intro's `Your task is to:` line.

step: a trailing `.` is dropped, and `put X in Y` / `put X on Y` become `put X in/on Y` (the
command form of the released games). `check valid actions` lists the admissible commands;
`look` shows the last place reached by `go to` / `open`; anything else steps the game.
`valid` is whether the action was in that list (admissible commands, `look`, `check valid
actions`) before the step. `match_text` is the processed observation, for every step including
`check valid actions` (AgentBoard matches its subgoals there too). `done` is the game's own
flag (won), `reward` 1 when done, else 0 (the worker applies the annotation's alfworld rule).
"""
import sys

import textworld
import textworld.gym
from alfworld.agents.environment.alfred_tw_env import AlfredDemangler, AlfredInfos

from sidecar import serve

MAX_EPISODE_STEPS = 50  # alfworld's dagger.training.max_nb_steps_per_episode in AgentBoard's config
CHECK = "check valid actions"


def normalize(action):
    action = action.strip()
    if "put" in action:
        if " in " in action:
            action = action.replace(" in ", " in/on ")
        elif " on " in action:
            action = action.replace(" on ", " in/on ")
    if action.endswith("."):
        action = action[:-1].strip()
    return action


def processed(observation):
    if observation.startswith("You arrive at loc "):
        observation = observation[observation.find(". ") + 2:]
    return observation


class AlfWorld:
    def __init__(self):
        self.env = None

    def reset(self, params):
        game_file = params["game_file"]
        if self.env is not None:
            self.env.close()
        infos = textworld.EnvInfos(won=True, admissible_commands=True, extras=["gamefile"])
        env_id = textworld.gym.register_games([game_file], infos, batch_size=1, asynchronous=False,
                                              max_episode_steps=MAX_EPISODE_STEPS,
                                              wrappers=[AlfredDemangler(shuffle=False), AlfredInfos])
        self.env = textworld.gym.make(env_id)
        obs, info = self.env.reset()
        lines = "\n".join(obs[0].split("\n\n")[1:]).split("\n")
        if len(lines) < 2 or "Your task is to:" not in lines[1]:
            raise ValueError(f"{game_file}: the intro has no room description and 'Your task is to:' line: {obs[0]!r}")
        self.admissible = list(info["admissible_commands"][0])
        self.last_place = lines[0]
        self.done = False
        return {"observation": lines[0], "goal": lines[1].split("Your task is to:")[1].strip(),
                "reward": 0.0, "done": False, "match_text": None}

    def step(self, action):
        action = normalize(action)
        space = self.action_space()
        if action == CHECK:
            observation = "Choose an action from these valid actions: " + ", ".join(space)
        else:
            obs, _, dones, info = self.env.step([action])
            observation, self.done = obs[0], bool(dones[0])
            if action == "look":
                observation = self.last_place
            elif ("go to" in action or "open" in action) and "Nothing happens" not in observation:
                self.last_place = observation
            self.admissible = list(info["admissible_commands"][0])
        observation = processed(observation)
        return {"observation": observation, "reward": 1.0 if self.done else 0.0, "done": self.done,
                "valid": action in space, "match_text": observation}

    def action_space(self):
        """The admissible commands plus `look` and `check valid actions`, as AgentBoard lists them."""
        return self.admissible + [c for c in ("look", CHECK) if c not in self.admissible]


if __name__ == "__main__":
    sys.exit(serve("alfworld", AlfWorld))
