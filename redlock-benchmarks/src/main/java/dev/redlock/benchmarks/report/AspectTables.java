package dev.redlock.benchmarks.report;

import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

import dev.redlock.benchmarks.RunSettings;
import dev.redlock.benchmarks.aspect.AspectContender;

/** Scenario (e)'s part of the page: the aspect against the direct core call, and the observers' overhead. */
final class AspectTables {

	private final Cases cases;

	AspectTables(Cases cases) {
		this.cases = cases;
	}

	/**
	 * The aspect's rows against the direct core call on the same Redlock bean, per node count:
	 * the overhead is the difference of their medians, and their ratio; then the observers'
	 * overhead from the paired rounds.
	 */
	String aspect() {
		TreeSet<Integer> counts = this.cases.nodeCounts(Result.ASPECT);
		if (counts.isEmpty()) {
			return "Not measured in this run: `--scenarios` left `" + Result.ASPECT + "` out.";
		}
		String reference = AspectContender.CORE_DIRECT.id();
		StringBuilder out = new StringBuilder();
		for (int nodes : counts) {
			Table table = new Table("contender", "p50", "p99", "p99.9", "ops/s", "p50 − " + reference + "'s",
					"p50 ÷ " + reference + "'s", "p99 − " + reference + "'s", "commands/op");
			Optional<Result> direct = this.cases.find(Result.ASPECT, reference, nodes, 1);
			for (AspectContender contender : AspectContender.values()) {
				this.cases.find(Result.ASPECT, contender.id(), nodes, 1).ifPresent((r) -> {
					boolean isReference = contender == AspectContender.CORE_DIRECT || direct.isEmpty();
					table.row("`" + r.contender() + "`", Format.micros(r.p50Us()), Format.micros(r.p99Us()),
							Format.micros(r.p999Us()), Format.rate(r.opsPerS()),
							isReference ? "–" : overhead(r, direct.get(), (x) -> x.p50Us().median()),
							isReference ? "–"
									: Format.ratio(ResultsJson.ratio(r.p50Us().median(), direct.get().p50Us().median())),
							isReference ? "–" : overhead(r, direct.get(), (x) -> x.p99Us().median()),
							Format.decimal(r.commandsPerOp()));
				});
			}
			out.append("#### ").append(Cases.nodes(nodes)).append("\n\n").append(table.render()).append('\n');
		}
		RunSettings.Rounds rounds = this.cases.run().settings().aspect();
		out.append(String.format(Locale.ROOT,
				"This run: %d runs per contender and node count, each measuring %d ms after %d ms of settling, %d ms"
						+ " of warm-up before a contender's first run, all in one JVM and one Spring Boot context"
						+ " per node count.",
				rounds.runs(), rounds.measure().toMillis(), rounds.settle().toMillis(), rounds.warmup().toMillis()));
		return out.append("\n\n").append(observers()).toString();
	}

	/** The observed aspect against the plain one, paired, with the observers alone beside it. */
	String observers() {
		if (this.cases.run().overheads().isEmpty()) {
			return "The observers' overhead was not measured in this run.";
		}
		AspectOverhead any = this.cases.run().overheads().get(0);
		String subject = "`" + any.contender() + "` − `" + any.reference() + "`";
		Table table = new Table("nodes", "pairs", subject + ", p50: median of pairs", "± standard error",
				"range of pairs", "p50 ÷, median of pairs", "observers alone (no nodes): p50", "p99",
				"target: ≤ " + Format.decimal(AspectOverhead.TARGET_US) + " µs");
		for (AspectOverhead o : this.cases.run().overheads()) {
			table.row(Integer.toString(o.nodes()), Integer.toString(o.paired().pairs()),
					Format.microsDifference(o.paired().differenceUs().median()),
					"± " + Format.micros2(o.paired().standardErrorUs()),
					Format.microsDifference(o.paired().differenceUs().min()) + " to "
							+ Format.microsDifference(o.paired().differenceUs().max()),
					Format.ratio(o.paired().ratio().median()), Format.micros2(o.observersAloneP50Us()),
					Format.micros2(o.observersAloneP99Us()), verdict(o.met()) + " (alone: " + verdict(o.aloneMet()) + ")");
		}
		RunSettings.Rounds rounds = this.cases.run().settings().aspect();
		return "#### What the meters and observations add, paired\n\n" + table.render() + "\n" + String.format(Locale.ROOT,
				"Each pair is a round of %d ms of one and, right after it, one of the other, each after %d ms of"
						+ " settling; who goes first alternates. A pair's difference is its two p50s apart, so load"
						+ " that slows both halves alike cancels out. The verdict is *met* when the median is within"
						+ " the target by two standard errors (1.25 × 1.48 × the pairs' median absolute deviation"
						+ " ÷ √pairs), *missed* when above it by two, and *not resolved* otherwise, also when it is below"
						+ " −5 µs by two: the observers cannot make a call faster, so such pairs measured the"
						+ " machine, not them. The observers alone are %,d calls through the"
						+ " starter's meters, `redlock.lock` observation (with its meter handler) and held-locks"
						+ " registry, after as many for warm-up, with a stub lock instead of the nodes"
						+ " (`ObserverCost`).",
				rounds.pairMeasure().toMillis(), rounds.settle().toMillis(), rounds.observerCalls());
	}

	static String verdict(boolean met) {
		return met ? "met" : "**missed**";
	}

	/** {@code null}: the pairs disagree by more than the target, so the run cannot tell. */
	static String verdict(Boolean met) {
		return (met == null) ? "not resolved" : verdict(met.booleanValue());
	}

	private static String overhead(Result row, Result reference, Function<Result, Double> metric) {
		return Format.microsDifference(metric.apply(row) - metric.apply(reference));
	}

}
