import Foundation
import Testing
@testable import Report

/// Renders report.html in headless Chromium (Debian's `chromium`, installed by scripts/setup) and
/// checks the screenshot is a real page, not a blank one. The PNGs stay in
/// `.build/report-screenshot/` for a person to look at.
@Suite("ReportScreenshot")
struct ReportScreenshotTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Screenshots `html` at 1200×1600 and returns the PNG's size in bytes.
    static func screenshot(_ browser: String, html: String, name: String, folder: String) throws -> Int {
        let page = folder + "/\(name).html", png = folder + "/\(name).png"
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: png)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                       "--user-data-dir=\(folder)/profile-\(name)", "--screenshot=\(png)", "--window-size=1200,1600",
                       "file://\(page)"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let attrs = try FileManager.default.attributesOfItem(atPath: png)
        return (attrs[.size] as? Int) ?? 0
    }

    @Test func reportRendersInHeadlessChromium() throws {
        guard let browser = Self.chromium else {
            print("ReportScreenshot: skipped — no chromium (apt-get install -y chromium, or run scripts/setup)")
            return
        }
        let fixture = try StudyFixture()
        try fixture.analysis()
        let results = try StudyResults.load(store: fixture.store, sweep: nil, now: 0)
        let folder = Self.packageRoot + "/.build/report-screenshot"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let report = try Self.screenshot(browser, html: results.html, name: "report", folder: folder)
        let blank = try Self.screenshot(browser, html: "<!DOCTYPE html><html><body></body></html>", name: "blank", folder: folder)
        let png = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.png"))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        // A 1200×1600 PNG: width and height in the IHDR chunk.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1200 && height == 1600, "\(width)×\(height)")
        // A blank page compresses to a few KB; tables, heatmaps and plots to far more.
        #expect(report > 8 * blank && report > 50_000, "report \(report) bytes, blank \(blank) bytes")
        print("ReportScreenshot: \(folder)/report.png (\(report) bytes; blank page \(blank) bytes)")
    }
}
