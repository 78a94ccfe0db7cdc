/// Small text helpers shared by the command line, the coordinator's views and config loading.
extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    public func trimmingWhitespace() -> String {
        let ws: Set<Character> = [" ", "\n", "\t", "\r", "\r\n"]
        var s = Substring(self)
        while let f = s.first, ws.contains(f) { s = s.dropFirst() }
        while let l = s.last, ws.contains(l) { s = s.dropLast() }
        return String(s)
    }

    /// The string padded on the right with spaces (or cut) to `n` characters, for columns.
    public func padding(_ n: Int) -> String { count >= n ? String(prefix(n)) : self + String(repeating: " ", count: n - count) }

    /// The string padded on the left with spaces to at least `n` characters, for number columns.
    public func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
