import ArgumentParser
import Glibc

/// `mpa-admission`: the root command.
@main
struct MPAAdmissionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpa-admission",
        abstract: "Kubernetes admission webhook for MultidimPodAutoscaler.",
        subcommands: [ServeCommand.self, ReviewCommand.self, TestCommand.self])

    /// Like ArgumentParser's, except that a usage mistake is one line on stderr and exit code 2
    /// (deployment tooling and the tests rely on that), not a usage screen and 64.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if error is ExitCode || exitCode(for: error) == .success {
                exit(withError: error)
            }
            let message = message(for: error).split(separator: "\n", omittingEmptySubsequences: true).first ?? "invalid arguments"
            StandardStreams.writeErr("error: \(message) (see mpa-admission help)")
            Glibc.exit(2)
        }
    }
}
