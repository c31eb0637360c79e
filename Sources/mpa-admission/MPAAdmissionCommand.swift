import ArgumentParser

/// `mpa-admission`: the root command. `serve` joins `review` in `subcommands` later.
@main
struct MPAAdmissionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpa-admission",
        abstract: "Kubernetes admission webhook for MultidimPodAutoscaler.",
        subcommands: [ReviewCommand.self, TestCommand.self])
}
