import Protocol

/// The report's output formats and the files they are written to.
public enum ReportFormat: String, Sendable, CaseIterable {
    case md, csv, json, html

    /// Files of this format in an output folder, with their contents.
    public func files(_ r: StudyResults) -> [(name: String, text: String)] {
        switch self {
        case .md: return [("report.md", r.markdown)]
        case .csv: return [("results.csv", r.resultsCSV), ("analysis.csv", r.analysisCSV)]
        case .json: return [("results.json", r.resultsJSON), ("analysis.json", r.analysisJSON)]
        case .html: return [("report.html", r.html)]
        }
    }

    /// What goes to standard output when no folder is given (the results, not the analysis table).
    public func stdout(_ r: StudyResults) -> String { files(r)[0].text }
}

extension StudyResults {
    /// Writes `formats` into `folder` (created when missing); returns the paths written.
    @discardableResult
    public func write(formats: [ReportFormat] = ReportFormat.allCases, to folder: String) throws -> [String] {
        try Files.makeDirectories(folder)
        var paths: [String] = []
        for f in formats {
            for (name, text) in f.files(self) {
                let path = folder + "/" + name
                try Files.writeAtomic(path, Array(text.utf8))
                paths.append(path)
            }
        }
        return paths
    }
}
