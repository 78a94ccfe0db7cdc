/// Sentence templates and word lists of `HaystackGenerator`, written for acbench.
/// A `{slot}` in a template is replaced by a random entry of `slots[slot]`.
enum Vocabulary {
    static let templates: [String] = [
        "{person} once told me that {idea} matters more than {idea2}.",
        "most {group} underestimate how long it takes to {verb} {object}.",
        "when you {verb} {object}, the {adj} part is rarely the one you expected.",
        "{time}, {person} {past} {object} in {place}, and nobody noticed for months.",
        "the trouble with {idea} is that it looks {adj} from the outside.",
        "if you ask {group} what they want, they will describe {object}, not {idea}.",
        "{connector}, the {role} {past} the {noun} and moved on to the next problem.",
        "a {adj} {noun} is usually a sign that someone {past} {object} too early.",
        "there is a {adj} difference between {idea} and {idea2}, and it shows up in {place}.",
        "{person} spent {number} years trying to {verb} {object} before it finally worked.",
        "I used to think {idea} was {adj}, but {time} I changed my mind.",
        "the {role} kept a notebook of every {noun} that {group} complained about.",
        "{connector}, {group} who {verb} {object} tend to learn faster than those who plan.",
        "nobody in {place} could explain why the {noun} was so {adj}.",
        "it is easier to {verb} {object} than to convince {group} that it was worth doing.",
        "the {adj} {noun} in {place} was built by a {role} who never wrote anything down.",
        "{time}, the conversation turned to {idea}, as it always does among {group}.",
        "what {group} call {idea} is often just {idea2} with better marketing.",
        "{person} {past} {object} with {number} friends and a {adj} {noun}.",
        "the lesson of the {noun} is simple: {verb} {object} yourself before you hire a {role}.",
        "{connector}, most of the {adj} ideas started as jokes in {place}.",
        "a good {role} can {verb} {object} in an afternoon, but a great one knows when not to.",
        "for {number} weeks the {noun} sat in {place}, {adj} and unused.",
        "{person} wondered whether {idea} would survive the arrival of {group}.",
    ]

    static let slots: [String: [String]] = [
        "person": [
            "my grandmother", "an old teacher of mine", "a friend from school", "the librarian",
            "my neighbour", "a retired engineer", "the first investor I met", "a visiting painter",
            "my cousin", "a shop owner", "the mayor", "a stranger on the train",
        ],
        "group": [
            "founders", "students", "programmers", "gardeners", "architects", "writers",
            "musicians", "farmers", "investors", "teachers", "sailors", "editors",
        ],
        "role": [
            "carpenter", "clerk", "designer", "engineer", "editor", "baker", "surveyor",
            "mechanic", "translator", "curator", "pilot", "watchmaker",
        ],
        "noun": [
            "ledger", "bridge", "lantern", "machine", "orchard", "manuscript", "workshop",
            "telescope", "railway", "harbour", "spreadsheet", "compass", "greenhouse", "map",
        ],
        "object": [
            "a small prototype", "the old archive", "a better schedule", "a new language",
            "the wooden boat", "a simple tool", "the family business", "a long essay",
            "the broken clock", "a quiet library", "the spring harvest", "a second draft",
        ],
        "adj": [
            "quiet", "stubborn", "curious", "fragile", "ordinary", "remarkable", "awkward",
            "patient", "unusual", "careful", "messy", "elegant", "surprising", "modest",
        ],
        "verb": [
            "build", "repair", "measure", "rewrite", "explain", "sell", "translate", "design",
            "finish", "organize", "paint", "test",
        ],
        "past": [
            "built", "repaired", "measured", "rewrote", "explained", "sold", "translated",
            "designed", "finished", "organized", "painted", "tested",
        ],
        "place": [
            "a northern village", "the harbour town", "a crowded market", "the university",
            "an empty warehouse", "the mountain station", "a small office", "the river valley",
            "a coastal city", "the old quarter",
        ],
        "time": [
            "last winter", "years ago", "in the spring", "one evening", "during the war",
            "long before computers", "that autumn", "early one morning",
        ],
        "idea": [
            "patience", "taste", "ambition", "curiosity", "discipline", "originality",
            "craftsmanship", "persistence", "honesty", "simplicity", "momentum", "luck",
        ],
        "idea2": [
            "talent", "money", "reputation", "speed", "credentials", "planning", "confidence",
            "timing", "charm", "experience",
        ],
        "connector": [
            "In the end", "As it turned out", "Strangely enough", "For a while", "Even so",
            "By then", "Looking back", "Of course",
        ],
        "number": ["two", "three", "four", "five", "seven", "ten", "twelve", "twenty"],
    ]
}
