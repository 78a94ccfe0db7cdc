#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TOMLKit

/// A parsed TOML configuration file with what error messages need: the name the user gave it,
/// its folder (for relative paths) and the line of every key.
struct ConfigDocument {
    /// The path as the user gave it (used in messages).
    let file: String
    /// Absolute folder holding the file; relative paths in the file are resolved against it.
    let baseDirectory: String
    let map: TOMLSourceMap
    let root: TOMLTable

    /// Reads and parses `path`, turning every failure into a `ConfigError`.
    static func open(path: String) throws -> ConfigDocument {
        let fm = FileManager.default
        var isDirectory = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(file: path, line: nil, keyPath: "", kind: .fileNotFound)
        }
        if isDirectory {
            throw ConfigError(file: path, line: nil, keyPath: "", kind: .unreadable(reason: "it is a folder, not a file"))
        }
        guard let data = fm.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, keyPath: "", kind: .unreadable(reason: "permission denied or I/O error"))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ConfigError(file: path, line: nil, keyPath: "", kind: .unreadable(reason: "not valid UTF-8 text"))
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: path, line: e.source.begin.line, keyPath: "",
                              kind: .syntax(column: e.source.begin.column, message: e.description))
        } catch {
            throw ConfigError(file: path, line: nil, keyPath: "", kind: .unreadable(reason: "TOML parser failed: \(error)"))
        }
        let absolute = ConfigDocument.absolute(path, relativeTo: fm.currentDirectoryPath)
        return ConfigDocument(file: path, baseDirectory: ConfigDocument.folder(of: absolute),
                              map: TOMLSourceMap(text: text), root: root)
    }

    /// A reader over the whole document.
    var rootReader: TableReader { TableReader(doc: self, table: root, path: "") }

    /// An error about `keyPath`, located at its line (or its nearest ancestor's).
    func error(_ keyPath: String, _ kind: ConfigError.Kind) -> ConfigError {
        ConfigError(file: file, line: map.line(for: keyPath), keyPath: keyPath, kind: kind)
    }

    /// `path` made absolute against the config file's folder; absolute paths are kept.
    func resolve(_ path: String) -> String { ConfigDocument.absolute(path, relativeTo: baseDirectory) }

    /// Joins `path` onto `base` unless it is already absolute, then removes `.` and `..` components.
    static func absolute(_ path: String, relativeTo base: String) -> String {
        var expanded = path
        if path == "~" || path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            expanded = home + path.dropFirst()
        }
        let joined = expanded.hasPrefix("/") ? expanded : base + "/" + expanded
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The folder part of an absolute path.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}

extension ConfigDocument {
    /// Throws `duplicateName` at the second element whose `key` value repeats an earlier one,
    /// naming the line of the first.
    func checkUnique(_ items: [(reader: TableReader, name: String)], kind: String, key: String = "name") throws {
        var first: [String: TableReader] = [:]
        for (reader, name) in items {
            if let earlier = first[name] {
                throw error(reader.keyPath(key), .duplicateName(kind: kind, name: name,
                                                                 firstLine: map.line(for: earlier.keyPath(key))))
            }
            first[name] = reader
        }
    }
}
