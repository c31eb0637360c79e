await BenchMain.run(CommandLine.arguments)
