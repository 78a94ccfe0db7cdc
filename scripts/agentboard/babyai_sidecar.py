"""BabyAI (minigrid) as a text game, after AgentBoard's BabyAI environment.

The agent sees what is in its field of view as sentences with relative positions, and acts with
high-level commands (`go to red ball 1`, `pick up red ball 1`, `toggle`...) that expand into
minigrid's primitive actions by a shortest path over (cell, direction) states.

reset: {"level": 1-40 (AgentBoard's level numbers), "seed": int}
step reply: observation, reward (minigrid's reward of the last primitive step), done, valid,
match_text (the observation subgoal patterns are matched against; null when the step did not act).
"""
import collections
import sys

import gymnasium
import minigrid  # noqa: F401  (registers the BabyAI environments)

from sidecar import serve

# AgentBoard's level numbers (BabyAI environment ids; GoToObjS6 exists only as v1 in minigrid 3).
LEVELS = {
    1: "GoToRedBallGrey", 2: "GoToRedBall", 3: "GoToRedBallNoDists", 4: "GoToObjS6-v1", 5: "GoToLocalS8N7",
    6: "GoToObjMazeS7", 7: "GoToImpUnlock", 8: "GoToSeqS5R2", 9: "GoToRedBlueBall", 10: "GoToDoor",
    11: "GoToObjDoor", 12: "Open", 13: "OpenRedDoor", 14: "OpenDoorLoc", 15: "OpenRedBlueDoorsDebug",
    16: "OpenDoorsOrderN4Debug", 17: "Pickup", 18: "UnblockPickup", 19: "PickupLoc", 20: "PickupDistDebug",
    21: "PickupAbove", 22: "PutNextLocalS6N4", 23: "PutNextS7N4Carrying", 24: "Unlock", 25: "UnlockLocalDist",
    26: "KeyInBox", 27: "UnlockPickupDist", 28: "BlockedUnlockPickup", 29: "UnlockToUnlock", 30: "ActionObjDoor",
    31: "FindObjS7", 32: "KeyCorridorS6R3", 33: "OneRoomS20", 34: "MoveTwoAcrossS8N9", 35: "SynthS5R2",
    36: "SynthLoc", 37: "SynthSeq", 38: "MiniBossLevel", 39: "BossLevel", 40: "BossLevelNoUnlock",
}
LEFT, RIGHT, FORWARD, PICKUP, DROP, TOGGLE = 0, 1, 2, 3, 4, 5
VECS = [(1, 0), (0, 1), (-1, 0), (0, -1)]


def env_id(level):
    name = LEVELS[int(level)]
    return "BabyAI-" + name + ("" if name.endswith("-v1") else "-v0")


class BabyAI:
    def __init__(self):
        self.env = None

    def reset(self, params):
        self.env = gymnasium.make(env_id(params.get("level", 2)))
        self.env.reset(seed=int(params.get("seed", 1234)))
        self.reward, self.done = 0.0, False
        goal = self.u.mission.replace("then", "and").replace("after you", "and")
        obs = self.describe()
        return {"observation": obs, "goal": goal, "reward": 0.0, "done": False, "match_text": None}

    @property
    def u(self):
        return self.env.unwrapped

    # --- what the agent sees -------------------------------------------------------------
    def visible(self):
        """Visible objects as (name, n, (x, y), front, right), nearest first, numbered per name."""
        ax, ay = self.u.agent_pos
        (fx, fy), (rx, ry) = self.u.dir_vec, self.u.right_vec
        found = []
        for x in range(self.u.grid.width):
            for y in range(self.u.grid.height):
                cell = self.u.grid.get(x, y)
                if cell is None or cell.type == "wall" or (x, y) == (ax, ay) or not self.u.agent_sees(x, y):
                    continue
                name = f"{cell.color} {cell.type}"
                if cell.type == "door":
                    state = "locked" if cell.is_locked else "open" if cell.is_open else "closed"
                    name = f"{cell.color} {state} door"
                dx, dy = x - ax, y - ay
                found.append((abs(dx) + abs(dy), name, (x, y), dx * fx + dy * fy, dx * rx + dy * ry))
        found.sort(key=lambda t: t[0])
        counts = collections.Counter()
        out = []
        for _, name, pos, front, right in found:
            counts[name] += 1
            out.append((name, counts[name], pos, int(front), int(right)))
        return out

    def describe(self):
        parts = []
        for name, n, _, front, right in self.visible():
            if right == 0:
                where = f"right in front of you {front} steps away"
            else:
                side = "right" if right > 0 else "left"
                where = f"{front} steps in front of you and {abs(right)} steps to your {side}"
            parts.append(f"There is a {name} {n} {where}.")
        seen = "In front of you in this room, you can see several objects: " + " ".join(parts) if parts \
            else "You cannot see any objects within sight."
        ahead = self.facing_distance()
        carrying = self.u.carrying
        carry = f"You are carrying a {carrying.color} {carrying.type}." if carrying else "You are not carrying anything."
        return f"{seen} The room has walls around you. You are facing a {ahead[0]} {ahead[1]} steps away. {carry}"

    def facing_distance(self):
        (x, y), (fx, fy) = self.u.agent_pos, self.u.dir_vec
        for d in range(1, max(self.u.grid.width, self.u.grid.height)):
            cell = self.u.grid.get(x + fx * d, y + fy * d) if 0 <= x + fx * d < self.u.grid.width \
                and 0 <= y + fy * d < self.u.grid.height else None
            if cell is not None and not cell.can_overlap():
                return (cell.type, d)
        return ("wall", 1)

    # --- high-level actions ----------------------------------------------------------------
    def path_to_face(self, target):
        """Primitive actions that leave the agent next to `target`, facing it (None: unreachable)."""
        start = (tuple(self.u.agent_pos), self.u.agent_dir)
        prev = {start: None}
        queue = collections.deque([start])
        while queue:
            (pos, d) = state = queue.popleft()
            if (pos[0] + VECS[d][0], pos[1] + VECS[d][1]) == tuple(target):
                actions = []
                while prev[state] is not None:
                    state, a = prev[state]
                    actions.append(a)
                return actions[::-1]
            for a, nxt in ((LEFT, (pos, (d - 1) % 4)), (RIGHT, (pos, (d + 1) % 4)),
                           (FORWARD, ((pos[0] + VECS[d][0], pos[1] + VECS[d][1]), d))):
                cell = self.u.grid.get(*nxt[0]) if a == FORWARD else None
                if a == FORWARD and cell is not None and not cell.can_overlap():
                    continue
                if nxt not in prev:
                    prev[nxt] = (state, a)
                    queue.append(nxt)
        return None

    def actions(self):
        """Command → primitive actions, for the commands valid now."""
        acts = {"turn left": [LEFT], "turn right": [RIGHT]}
        front = self.u.grid.get(*self.u.front_pos)
        if front is None or front.can_overlap():
            acts["move forward"] = [FORWARD]
        if self.u.carrying is not None and front is None:
            acts["drop"] = [DROP]
        if front is not None and front.type == "door":
            acts["toggle"] = [TOGGLE]
        for name, n, pos, _, _ in self.visible():
            path = self.path_to_face(pos)
            if path is None:
                continue
            acts[f"go to {name} {n}"] = path
            if name.endswith("door"):
                if "open" in name.split():
                    acts[f"go through {name} {n}"] = path + [FORWARD, FORWARD]
                else:
                    acts[f"toggle and go through {name} {n}"] = path + [TOGGLE, FORWARD, FORWARD]
            elif self.u.carrying is None:
                acts[f"pick up {name} {n}"] = path + [PICKUP]
        return acts

    def step(self, action):
        action = action.lower().strip()
        acts = self.actions()
        if "check" in action:
            text = "You can take the following actions: " + ", ".join(list(acts) + ["check available actions"])
            return {"observation": text, "reward": self.reward, "done": self.done, "valid": True, "match_text": None}
        if action not in acts:
            return {"observation": "The action is not recognized. Please check valid actions.", "reward": self.reward,
                    "done": self.done, "valid": False, "match_text": None}
        for a in acts[action]:
            _, reward, terminated, _, _ = self.env.step(a)
            self.reward = float(reward)
            if terminated:
                self.done = True
                break
        obs = self.describe()
        if self.done:
            obs += "\n The task is completed."
        return {"observation": obs, "reward": self.reward, "done": self.done, "valid": True, "match_text": obs}


if __name__ == "__main__":
    sys.exit(serve("babyai", BabyAI))
