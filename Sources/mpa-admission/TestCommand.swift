import ArgumentParser
import RuleSuites

/// `mpa-admission test DIR`: runs rule suites (like `kyverno test`) through the same engine
/// as `serve`. Exit 0 all passed, 1 any case failed, 2 a suite could not be loaded.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule test suites (suite.yaml files: AdmissionReview cases with expectations).")

    @Argument(help: "A suite file, or a directory searched for suite.yaml files.")
    var path: String

    @Flag(name: .long, help: "Print only failures and the totals.")
    var quiet = false

    func run() async throws {
        let files: [String]
        do {
            files = try SuiteLoader.discover(path)
        } catch {
            StandardStreams.writeErr("error: \(error)")
            throw ExitCode(2)
        }
        var suites: [RuleSuite] = []
        var loadErrors: [String] = []
        for f in files {
            do { suites.append(try SuiteLoader.load(f)) } catch { loadErrors.append(error.description) }
        }
        let runner = SuiteRunner { config, state in
            try CompositionRoot.makeEngine(configFile: config, stateDirectory: state)
        }
        var results: [CaseResult] = []
        for s in suites { results += await runner.run(s) }
        let shown = quiet ? results.filter { !$0.passed } : results
        var text = SuiteReport.render(shown, loadErrors: loadErrors)
        if quiet {
            let totals = SuiteReport.totals(results, loadErrors: loadErrors)
            text = shown.isEmpty && loadErrors.isEmpty ? totals + "\n" : text.replacingLastLine(with: totals)
        }
        StandardStreams.writeOut(Array(text.utf8.dropLast()))
        if !loadErrors.isEmpty { throw ExitCode(2) }
        if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}

private extension String {
    func replacingLastLine(with line: String) -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        if !lines.isEmpty { lines.removeLast() }
        return (lines + [line]).joined(separator: "\n") + "\n"
    }
}
