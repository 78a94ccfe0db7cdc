import ArgumentParser

@main
struct ACBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acbench",
        abstract: "Run the ACBench study (compressed LLMs as agents) as a resumable cluster sweep.",
        discussion: """
            A coordinator plans the sweep (models × compression methods × tasks) into units and hands them
            over ZeroMQ to one worker per GPU; workers compress, serve through vLLM, score exactly as the
            original benchmarks, and stream results back into one SQLite file. Re-running the same command
            resumes. Start with `acbench demo`, or `acbench plan sweeps/acbench.toml` to see what would run.
            """,
        subcommands: [
            DemoCommand.self,
            PlanCommand.self,
            CoordinatorCommand.self,
            WorkerCommand.self,
            StatusCommand.self,
            ReportCommand.self,
            KeysCommand.self,
            TokenizeCommand.self,
            LogitsCommand.self,
            ScoreCommand.self,
            DataCommand.self,
            CompressCommand.self,
        ]
    )
}
