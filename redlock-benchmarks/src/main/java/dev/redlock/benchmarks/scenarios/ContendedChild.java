package dev.redlock.benchmarks.scenarios;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redlock.benchmarks.contenders.Contenders;
import dev.redlock.benchmarks.contenders.LockClient;
import dev.redlock.benchmarks.contenders.SharedResources;

/**
 * The child JVM of the two-JVM contended run ({@link TwoJvmContendedScenario}): the other half
 * of the workers, each with its own client. The parent drives it over stdin and reads stdout:
 *
 * <pre>
 * child:  ready                                      once every client is connected
 * parent: run CONTENDER KEY OPENS_AT CLOSES_AT       child: event lines, then "end COUNT",
 *                                                    or "failed MESSAGE"
 * parent: quit, or closes stdin                      child: closes its clients and exits
 * </pre>
 *
 * Arguments: {@code URIS FIRST_WORKER WORKERS CONTENDERS}, lists comma-separated.
 */
public final class ContendedChild {

	private ContendedChild() {
	}

	public static void main(String[] args) {
		// stdout carries the reports; whatever else prints, a library's log say, goes to stderr.
		PrintStream reports = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)), false,
				StandardCharsets.UTF_8);
		System.setOut(System.err);
		int status = 0;
		try {
			serve(args, reports);
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			status = 1;
		}
		// A library thread left running must not keep a child alive once the parent is done with it.
		System.exit(status);
	}

	private static void serve(String[] args, PrintStream reports) throws Exception {
		if (args.length != 4) {
			throw new IllegalArgumentException("Usage: ContendedChild URIS FIRST_WORKER WORKERS CONTENDERS");
		}
		List<String> uris = List.of(args[0].split(","));
		int firstWorker = Integer.parseInt(args[1]);
		int workers = Integer.parseInt(args[2]);
		Map<String, List<LockClient>> clients = new LinkedHashMap<>();
		try (SharedResources shared = new SharedResources()) {
			try {
				for (String id : args[3].split(",")) {
					clients.put(id, ContendedScenario.connect(Contenders.byId(id), uris, workers, shared));
				}
				reports.println("ready");
				reports.flush();
				BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
				for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands
					.readLine()) {
					String[] run = line.split(" ");
					if (run.length != 5 || !run[0].equals("run") || !clients.containsKey(run[1])) {
						throw new IllegalArgumentException("Unknown command '" + line + "'");
					}
					Window window = Window.between(Long.parseLong(run[3]), Long.parseLong(run[4]));
					run(clients.get(run[1]), run[2], firstWorker, window, reports);
				}
			}
			finally {
				clients.values().forEach((own) -> own.forEach(LockClient::close));
			}
		}
	}

	private static void run(List<LockClient> clients, String key, int firstWorker, Window window,
			PrintStream reports) {
		AcquisitionLog log = new AcquisitionLog();
		try {
			Workers.run("contended-child", clients.size(),
					(worker) -> ContendedLoop.run(clients.get(worker), key, firstWorker + worker, window, log), () -> {
						window.awaitClose();
						return null;
					});
			List<String> lines = log.lines();
			lines.forEach(reports::println);
			reports.println("end " + lines.size());
		}
		catch (RuntimeException ex) {
			ex.printStackTrace();
			reports.println("failed " + String.valueOf(ex.getMessage()).replace('\n', ' '));
		}
		reports.flush();
	}

}
