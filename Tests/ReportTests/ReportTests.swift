import Foundation
import Testing
@testable import Coordinator
@testable import Protocol
@testable import Report

/// Tables, CSV and JSON of a database that holds every cell state (StudyFixture).
@Suite("Report")
struct ReportTests {
    let fixture: StudyFixture
    let results: StudyResults

    init() throws {
        fixture = try StudyFixture()
        try fixture.analysis()
        results = try StudyResults.load(store: fixture.store, sweep: nil, now: 0)
    }

    @Test func mainTableShowsEveryCellState() {
        #expect(results.sweep == "study")
        #expect(results.methods == ["none", "rtn-w4", "gptq-w4"])
        #expect(results.mainTable.markdown == """
            | model | method | workflow: worfbench | tool use: teval | long context: needle | real-world: alfworld |
            |---|---|---|---|---|---|
            | tiny | none | 0.500 | 0.800 | 0.750 | not run |
            | tiny | rtn-w4 | 0.375 (−25.0%) | failed (scorer_error) | running 1/4 | stale (was 0.375) |
            | tiny | gptq-w4 | failed (out_of_memory) | failed (out_of_memory) | failed (out_of_memory) | failed (out_of_memory) |

            """)
        #expect(results.capabilityTable.markdown == """
            | model | method | workflow | tool use | long context | real-world |
            |---|---|---|---|---|---|
            | tiny | rtn-w4 | −25.0% | n/a | n/a | n/a |
            | tiny | gptq-w4 | n/a | n/a | n/a | n/a |

            """)
    }

    @Test func methodsTableSaysWhatEachMethodDid() {
        #expect(results.methodsTable.markdown == """
            | method | algorithm | parameters | calibration | served as |
            |---|---|---|---|---|
            | none | none | — | — | auto |
            | rtn-w4 | rtn | bits=4 | — | auto |
            | gptq-w4 | gptq | bits=4 | — | auto |

            """)
        #expect(results.markdown.contains("## Methods\n\n| method |"))
        #expect(results.html.contains("<h2>Methods</h2>"))
    }

    @Test func detailTablesAndNeedleGrid() throws {
        let alfworld = try #require(results.tasks.first { $0.name == "alfworld" })
        #expect(results.detailTable(alfworld).markdown == """
            | model | method | status | samples | progress_rate | success |
            |---|---|---|---|---|---|
            | tiny | none | not run | 0 | — | — |
            | tiny | rtn-w4 | stale | 2/2 | 0.375 | 0.500 |
            | tiny | gptq-w4 | failed (out_of_memory) | 0 | — | — |

            """)
        let needle = try #require(results.tasks.first { $0.name == "needle" })
        let grids = results.needleGrids(needle)
        #expect(grids.map(\.title) == ["tiny / none"])
        #expect(grids[0].grid.table.plain == """
            tokens \\ depth %   0      50
            ────────────────   ────   ────
            1000               100%   100%
            2000               100%   0%

            """)
    }

    /// WorfBench cells go through the real WorfBench aggregation (per-subset P/R/F1, here the
    /// unnamed subset, the mean F1 and the node-error count); T-Eval samples without run metadata
    /// fall back to plain means.
    @Test func csvHasOneRowPerMetricWithProvenance() {
        #expect(results.resultsCSV == """
            sweep,model,method,task,suite,capability,metric,value,baseline,rel_change_pct,status,failure_class,samples,sample_total,unit_ids,artifact_digest
            study,tiny,none,worfbench,worfbench,workflow,/f1,0.5,0.5,0,done,,2,2,e-none-worfbench,
            study,tiny,none,worfbench,worfbench,workflow,/precision,0,0,,done,,2,2,e-none-worfbench,
            study,tiny,none,worfbench,worfbench,workflow,/recall,0,0,,done,,2,2,e-none-worfbench,
            study,tiny,none,worfbench,worfbench,workflow,f1,0.5,0.5,0,done,,2,2,e-none-worfbench,
            study,tiny,none,worfbench,worfbench,workflow,node_errors,0,0,,done,,2,2,e-none-worfbench,
            study,tiny,none,teval,teval,tool use,score,0.8,0.8,0,done,,2,2,e-none-teval,
            study,tiny,none,needle,needle,long context,set_recall,0.75,0.75,0,done,,4,4,e-none-needle,
            study,tiny,none,needle,needle,long context,set_recall/len1000/depth0,1,1,0,done,,4,4,e-none-needle,
            study,tiny,none,needle,needle,long context,set_recall/len1000/depth50,1,1,0,done,,4,4,e-none-needle,
            study,tiny,none,needle,needle,long context,set_recall/len2000/depth0,1,1,0,done,,4,4,e-none-needle,
            study,tiny,none,needle,needle,long context,set_recall/len2000/depth50,0,0,,done,,4,4,e-none-needle,
            study,tiny,none,alfworld,agentboard,real-world,progress_rate,,,,not run,,0,,e-none-alfworld,
            study,tiny,rtn-w4,worfbench,worfbench,workflow,/f1,0.375,0.5,-25,done,,2,2,e-rtn-w4-worfbench,sha256:feed
            study,tiny,rtn-w4,worfbench,worfbench,workflow,/precision,0,0,,done,,2,2,e-rtn-w4-worfbench,sha256:feed
            study,tiny,rtn-w4,worfbench,worfbench,workflow,/recall,0,0,,done,,2,2,e-rtn-w4-worfbench,sha256:feed
            study,tiny,rtn-w4,worfbench,worfbench,workflow,f1,0.375,0.5,-25,done,,2,2,e-rtn-w4-worfbench,sha256:feed
            study,tiny,rtn-w4,worfbench,worfbench,workflow,node_errors,0,0,,done,,2,2,e-rtn-w4-worfbench,sha256:feed
            study,tiny,rtn-w4,teval,teval,tool use,score,,0.8,,failed,scorer_error,0,,e-rtn-w4-teval,sha256:feed
            study,tiny,rtn-w4,needle,needle,long context,set_recall,,0.75,,running,,1,4,e-rtn-w4-needle,sha256:feed
            study,tiny,rtn-w4,alfworld,agentboard,real-world,progress_rate,0.375,,,stale,,2,2,e-rtn-alfworld-old,sha256:feed
            study,tiny,rtn-w4,alfworld,agentboard,real-world,success,0.5,,,stale,,2,2,e-rtn-alfworld-old,sha256:feed
            study,tiny,gptq-w4,worfbench,worfbench,workflow,f1,,0.5,,failed,out_of_memory,0,,e-gptq-w4-worfbench,
            study,tiny,gptq-w4,teval,teval,tool use,score,,0.8,,failed,out_of_memory,0,,e-gptq-w4-teval,
            study,tiny,gptq-w4,needle,needle,long context,set_recall,,0.75,,failed,out_of_memory,0,,e-gptq-w4-needle,
            study,tiny,gptq-w4,alfworld,agentboard,real-world,progress_rate,,,,failed,out_of_memory,0,,e-gptq-w4-alfworld,

            """)
    }

    @Test func jsonIsAnArrayOfRecords() throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(results.resultsJSON.utf8)) as? [[String: Any]]
        let rows = try #require(parsed)
        #expect(rows.count == 25)
        #expect(rows.allSatisfy { Set($0.keys) == Set(ExportRow.columns) })
        #expect(results.resultsJSON.split(separator: "\n")[1] == """
            {"sweep":"study","model":"tiny","method":"none","task":"worfbench","suite":"worfbench","capability":"workflow",\
            "metric":"/f1","value":0.5,"baseline":0.5,"rel_change_pct":0,"status":"done","failure_class":null,"samples":2,\
            "sample_total":2,"unit_ids":"e-none-worfbench","artifact_digest":null},
            """)
        let failed = try #require(rows.first { $0["unit_ids"] as? String == "e-rtn-w4-teval" })
        #expect(failed["status"] as? String == "failed" && failed["failure_class"] as? String == "scorer_error")
        #expect(failed["value"] is NSNull && (failed["baseline"] as? Double) == 0.8)
        let statuses = Set(rows.compactMap { $0["status"] as? String })
        #expect(statuses == ["done", "running", "failed", "not run", "stale"])
    }

    @Test func analysisTableRoundTripsAndSummarises() throws {
        let stored = try fixture.store.analysisRows()
        #expect(stored.count == results.analysis.count)
        #expect(stored.count == 2 + 2 * 8 + 3 * 2 * 8)
        let table = try #require(results.analysisTable)
        #expect(table.header == ["model", "method", "erank", "mean energy", "kendall@3", "spearman@3", "kendall@10",
                                 "spearman@10", "kendall@20", "spearman@20"])
        #expect(table.rows.map { $0[0] + "/" + $0[1] } == ["tiny/none", "tiny/rtn-w4"])
        #expect(table.rows[0][4] == "—")
        let csv = results.analysisCSV.split(separator: "\n")
        #expect(csv[0] == "model,method,metric,k,position,value,unit_id")
        #expect(csv.count == stored.count + 1)
        // NaN is stored as NULL and read back as NaN.
        try fixture.store.saveAnalysis([AnalysisRow(model: "tiny", method: "x", metric: "kendall", k: 3, position: 0, value: .nan)])
        #expect(try fixture.store.analysisRows().first { $0.method == "x" }?.value.isNaN == true)
    }

    @Test func htmlIsSelfContainedWithPlots() {
        let html = results.html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for needle in ["<svg", "tiny / none: set_recall", "tiny: change vs none (%)", "ERank of the logits per method",
                       "tiny: top-k correlation vs none", "tiny: energy per position (T = 1)", "class=\"num s-stale\"",
                       "class=\"num s-failed\"", "class=\"num s-running\"", "class=\"num s-notrun\"", "class=\"num s-done\""] {
            #expect(html.contains(needle), "missing \(needle)")
        }
        for external in ["<script", "<link", "src=", "href=\"http", "url("] { #expect(!html.contains(external), "\(external)") }
    }

    @Test func terminalViewForTheDemo() {
        let text = results.terminal
        #expect(text.hasPrefix("results of sweep 'study'\nmodel   method    workflow: worfbench"))
        #expect(text.contains("\ntiny    rtn-w4    0.375 (−25.0%)           failed (scorer_error)    running 1/4              stale (was 0.375)\n"), "\(text)")
        #expect(text.contains("needle set_recall, tiny / none (rows: context tokens, columns: depth %)\n"))
    }

    @Test func analysisSlotWithoutRows() throws {
        var r = results
        r.analysis = []
        #expect(r.html.contains("No rows in the <code>analysis</code> table yet"))
        #expect(r.markdown.contains("No analysis rows in the database"))
    }

    @Test func filesAreWritten() throws {
        let paths = try results.write(to: fixture.folder + "/report")
        #expect(paths.map { ($0 as NSString).lastPathComponent } ==
                ["report.md", "results.csv", "analysis.csv", "results.json", "analysis.json", "report.html"])
        #expect(FileManager.default.contents(atPath: paths[1]).map { String(decoding: $0, as: UTF8.self) } == results.resultsCSV)
    }
}

/// Schema 2 adds the `analysis` table to an existing schema-1 file.
@Suite("AnalysisMigration")
struct AnalysisMigrationTests {
    @Test func schemaOneFileIsMigrated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acbench-mig-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/s.sqlite"
        do {
            let db = try SQLiteDatabase(path: path)
            try db.exec(Schema.create)
            try db.exec("PRAGMA user_version=1")
        }
        #expect(try StateStore(path: path, readOnly: true).analysisRows().isEmpty)
        let store = try StateStore(path: path)
        #expect(try store.schemaVersion() == 2)
        try store.saveAnalysis([AnalysisRow(model: "m", method: "none", metric: "erank", value: 3.5)])
        #expect(try store.analysisRows() == [AnalysisRow(model: "m", method: "none", metric: "erank", value: 3.5)])
    }
}
