/// The `variant = "generated"` data of LongGenBench: arithmetic word problems (GSM8K shape, with
/// `#### n` solutions) or lettered choice questions (MMLU shape), invented here, K per prompt.
enum LongGenBenchGenerated {
    static func records(subset: String, count: Int) throws -> [LongGenBenchRecord] {
        var rng = SplitMix64(seed: subset == "gsm8k" ? 30 : 20)
        let lines = (0..<max(1, count)).map { _ -> String in
            let k = subset == "gsm8k" ? 4 : 3
            var questions: [String] = [], answers: [String] = []
            for _ in 0..<k {
                let a = 2 + rng.below(20), b = 2 + rng.below(20)
                if subset == "gsm8k" {
                    questions.append("A shelf holds \(a) jars and another holds \(b) jars. How many jars are there?")
                    answers.append("There are \(a) + \(b) = \(a + b) jars.\n#### \(a + b)")
                } else {
                    let options = [a + b, a + b + 1, a + b + 2, a + b + 3].map(String.init)
                    let correct = rng.below(4)
                    let shown = options.indices.map { options[($0 + 4 - correct) % 4] }
                    questions.append("What is \(a) + \(b)? (A) \(shown[0]) (B) \(shown[1]) (C) \(shown[2]) (D) \(shown[3])")
                    answers.append(["A", "B", "C", "D"][shown.firstIndex(of: options[0])!])
                }
            }
            let example = subset == "gsm8k"
                ? "Question_1: A box holds 2 pens and another holds 3 pens. How many pens are there?\nAnswer_1: There are 2 + 3 = 5 pens. The answer is 5."
                : "Question_1: What is 1 + 1? (A) 2 (B) 3 (C) 4 (D) 5\nAnswer_1: One plus one is two. The answer is (A)."
            let asked = questions.enumerated().map { "Question_\($0.offset + 2): \($0.element)" }.joined(separator: "\n")
            let prompt = "Examples: \n" + example + "\n\nFollowing Question: \n" + asked
            return JSONValue.object([
                ("prompt", .string(prompt)), ("questions", .array(questions.map { .string($0) })),
                ("answers", .array(answers.map { .string($0) })),
            ]).serialized
        }
        let file = try LongBenchGenerated.writeTemporary("longgenbench-generated-\(subset).jsonl", lines.joined(separator: "\n") + "\n")
        return try LongGenBenchRecord.load(file: file)
    }
}
