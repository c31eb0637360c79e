import Foundation

/// Paths of fixtures and of repository files, resolved from this source file.
enum FixturePaths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures").path
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let examples = repository.appendingPathComponent("manifests/examples").path
    /// `../shared/tools/bench-data/snapshot` next to the repository (worktrees see it via `../shared`).
    static let benchSnapshot: String? = {
        for base in [repository.deletingLastPathComponent().appendingPathComponent("shared"),
                     URL(fileURLWithPath: "/work/shared")] {
            let p = base.appendingPathComponent("tools/bench-data/snapshot").path
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return nil
    }()

    static func fixture(_ relative: String) -> String { fixtures + "/" + relative }
}
