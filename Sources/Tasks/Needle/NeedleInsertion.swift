/// The token arithmetic of the reference's `encode_and_trim` and `insert_needle`.
public enum NeedleInsertion {
    /// Where the needle went and the tokens of the context with it.
    public struct Placement: Sendable, Equatable {
        public var tokens: [Int]
        /// Token index of the needle within the (possibly shortened) context.
        public var insertionPoint: Int
        /// Context tokens kept around the needle.
        public var contextTokens: Int
    }

    /// Python's `seq[:stop]` (a negative `stop` counts from the end).
    public static func pythonPrefix<T>(_ seq: [T], _ stop: Int) -> [T] {
        let end = stop < 0 ? max(0, seq.count + stop) : min(stop, seq.count)
        return Array(seq[..<end])
    }

    /// `insert_needle`: shorten the context to `length − buffer − |needle|` tokens when the two
    /// do not fit in `length − buffer`; at depth 100 append the needle, otherwise start at
    /// `int(|context| · (depth / 100))` and move left until the token before is a period token
    /// (or the start), and insert the needle there.
    public static func place(context: [Int], needle: [Int], length: Int, buffer: Int,
                             depth: Double, periodTokens: [Int]) -> Placement {
        var ctx = context
        let budget = length - buffer
        if ctx.count + needle.count > budget { ctx = pythonPrefix(ctx, budget - needle.count) }
        if depth == 100 {
            return Placement(tokens: ctx + needle, insertionPoint: ctx.count, contextTokens: ctx.count)
        }
        var point = Int(Double(ctx.count) * (depth / 100))
        while point > 0, !periodTokens.contains(ctx[point - 1]) { point -= 1 }
        return Placement(tokens: Array(ctx[..<point]) + needle + Array(ctx[point...]),
                         insertionPoint: point, contextTokens: ctx.count)
    }
}
