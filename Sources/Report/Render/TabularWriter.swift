import Kernels
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Coordinator

/// CSV (RFC 4180) and JSON (an array of records) that `pandas.read_csv` / `read_json` load directly.
/// Missing values are empty CSV fields and JSON `null`; numbers are written with full precision.
public enum TabularWriter {
    /// CSV with a header row.
    public static func csv(columns: [String], rows: [[ExportField]]) -> String {
        var out = columns.map(csvQuote).joined(separator: ",") + "\n"
        for r in rows {
            out += r.map { f -> String in
                switch f {
                case .text(let s): return csvQuote(s)
                case .optionalText(let s): return s.map(csvQuote) ?? ""
                case .number(let d): return d.flatMap(number) ?? ""
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A JSON array with one object per row, keys in column order.
    public static func json(columns: [String], rows: [[ExportField]]) -> String {
        let objects = rows.map { r in
            "{" + zip(columns, r).map { name, f -> String in
                let v: String
                switch f {
                case .text(let s): v = jsonString(s)
                case .optionalText(let s): v = s.map(jsonString) ?? "null"
                case .number(let d): v = d.flatMap(number) ?? "null"
                }
                return jsonString(name) + ":" + v
            }.joined(separator: ",") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// A finite number as Swift prints it (shortest round-trip form); nil for NaN and infinities.
    static func number(_ d: Double) -> String? {
        guard d.isFinite else { return nil }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    static func csvQuote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func jsonString(_ s: String) -> String { JSON.quoted(s) }
}

extension StudyResults {
    /// `results.csv`: one row per model/method/task/metric.
    public var resultsCSV: String { TabularWriter.csv(columns: ExportRow.columns, rows: exportRows.map(\.fields)) }
    /// `results.json`: the same rows as an array of records.
    public var resultsJSON: String { TabularWriter.json(columns: ExportRow.columns, rows: exportRows.map(\.fields)) }

    static let analysisColumns = ["model", "method", "metric", "k", "position", "value", "unit_id"]
    var analysisFields: [[ExportField]] {
        analysis.map { [.text($0.model), .text($0.method), .text($0.metric), .number(Double($0.k)),
                        .number(Double($0.position)), .number($0.value), .optionalText($0.unitId)] }
    }
    /// `analysis.csv`: the analysis table as stored.
    public var analysisCSV: String { TabularWriter.csv(columns: Self.analysisColumns, rows: analysisFields) }
    /// `analysis.json`.
    public var analysisJSON: String { TabularWriter.json(columns: Self.analysisColumns, rows: analysisFields) }
}
