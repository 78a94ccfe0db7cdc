/// acbench's own wording of the agent instructions and one short example per environment, in
/// AgentBoard's layout; used when AgentBoard's prompt files are not under `<data>/prompts/VanillaAgent/`
/// (the released files take precedence; docs/AGENTBOARD.md).
enum DefaultPrompts {
    static func prompt(for env: AgentBoardEnvironment) -> (system: String, instruction: String, examples: [String]) {
        switch env {
        case .babyai: return (babyaiSystem, babyaiInstruction, [babyaiExample])
        case .scienceworld: return (scienceSystem, scienceInstruction, [scienceExample])
        case .pddl: return (pddlSystem, pddlInstruction, [pddlExample])
        case .toolQuery: return (academiaSystem, academiaInstruction, [academiaExample])
        default: return ("You are a helpful assistant.", "Interact with the environment to accomplish the goal.", [])
        }
    }

    static let babyaiSystem = "You are an agent that explores a grid world and completes every goal it is given."

    static let babyaiInstruction = """
        You are in a grid world room. Reach the goal by choosing one action per turn.

        Actions you can take:
        - turn left
        - turn right
        - move forward
        - go to <object> <n>
        - pick up <object> <n>
        - drop
        - toggle: open or close the door right in front of you (a locked door needs a key of its color)
        - go through <door> <n>: the door must be open
        - check available actions

        Answer with the action only.

        """

    static let babyaiExample = """
        Observation: You see a blue key 1 2 steps in front of you and 1 steps to your right. The room has walls around you. You are not carrying anything.
        Action: go to blue key 1
        Observation: You see a blue key 1 right in front of you 1 steps away. The room has walls around you. You are not carrying anything.
        Action: pick up blue key 1
        Observation: You cannot see any objects within sight. The room has walls around you. You are carrying a blue key.
        The task is completed.
        """

    static let scienceSystem = "You are an agent in a simulated science lab who completes the task it is given."

    static let scienceInstruction = """
        You are in a text-based science simulation. Choose one command per turn, for example:
        look around, look at <object>, go to <location>, open <object>, pick up <object>,
        move <object> to <container>, activate <device>, deactivate <device>, use <device> on <object>,
        focus on <object>, wait, inventory, check valid actions.

        Answer with the command only.

        """

    static let scienceExample = """
        Observation: This room is called the kitchen. In it, you see: a stove, which is turned off. a pot, containing water.
        Action: activate stove
        Observation: The stove is now activated.
        Action: move pot to stove
        Observation: You move the pot to the stove.
        Action: wait
        Observation: You decide to wait for 10 iterations.
        """

    static let pddlSystem = "You are a planning agent that reaches goals in symbolic worlds."

    static let pddlInstruction = """
        The world is a set of facts (literals such as `on a b` or `at ball1 rooma`). Reach the goal facts by
        choosing one action per turn, written as the operator followed by its objects, for example
        `pickup a`, `stack a b`, `move rooma roomb`, `pick ball1 rooma left`. Use `check valid actions` to list them.

        Answer with the action only.

        """

    static let pddlExample = """
        Observation: The current state: clear a, clear b, handempty robot, ontable a, ontable b.
        Action: pickup a
        Observation: The current state: clear b, handfull robot, holding a, ontable b.
        Action: stack a b
        Observation: The current state: clear a, handempty robot, on a b, ontable b.
        """

    static let academiaSystem = "You answer questions about papers and authors by calling tools."

    static let academiaInstruction = #"""
        The tools work on a citation graph (PaperNet: papers, linked when one cites the other) and a
        collaboration graph (AuthorNet: authors, linked when they wrote a paper together).

        - loadPaperNet: loads PaperNet. Input: {}
        - loadAuthorNet: loads AuthorNet. Input: {}
        - neighbourCheck: the neighbours of a node (cited papers, or co-authors). Input: {"graph": "PaperNet" or "AuthorNet", "node": name}
        - paperNodeCheck: a paper's year, venue, citation count, keywords and type. Input: {"node": title}
        - authorNodeCheck: an author's name and organization. Input: {"node": name}
        - authorEdgeCheck: the papers two authors wrote together. Input: {"node1": name, "node2": name}
        - paperEdgeCheck: the link between two papers. Input: {"node1": title, "node2": title}
        - check_valid_actions: lists the tools. Input: {}
        - finish: gives the answer (a string, a number or a list) and ends the task. Input: {"answer": answer}

        Load a graph before checking it. Answer with one action per turn, written as
        "Action: [tool] with Action Input: [input]".
        """#

    static let academiaExample = """
        Goal: Which organization is Grace Hopper from?
        Action: loadAuthorNet with Action Input: {}
        Observation: AuthorNet is loaded.
        Action: authorNodeCheck with Action Input: {"node": "Grace Hopper"}
        Observation: {'name': 'Grace Hopper', 'org': 'US Navy'}
        Action: finish with Action Input: {"answer": "US Navy"}
        Observation: US Navy
        """
}
