package dev.redlock.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes everything a run produced under one directory. */
public final class Report {

	private Report() {
	}

	public static void write(BenchmarkRun run, Path out) throws IOException {
		Path assets = out.resolve("benchmarks");
		Files.createDirectories(assets);
		Files.writeString(assets.resolve("results.json"), ResultsJson.of(run));
		List<String> charts = Charts.write(run, assets);
		Files.writeString(out.resolve("benchmarks.md"), new MarkdownReport(run, charts).render());
	}

}
