package dev.redlock.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a server runs: the executable, the testkit's settings, the optional TLS port and the
 * user's extra arguments, the same for every start so that a restart brings back the same node.
 */
final class ServerCommandLine {

	private final Path binary;

	private final List<String> extraArgs;

	private final String password;

	/** {@code null} without TLS. */
	private final TlsPort tls;

	private final Path workDirectory;

	/** {@code null} unless the server reads a configuration file (a sentinel must). */
	private final Path configFile;

	ServerCommandLine(Path binary, List<String> extraArgs, TlsPort tls, Path workDirectory) {
		this(binary, extraArgs, tls, workDirectory, null);
	}

	ServerCommandLine(Path binary, List<String> extraArgs, TlsPort tls, Path workDirectory, Path configFile) {
		this.binary = binary;
		this.extraArgs = extraArgs;
		this.password = requirePass(extraArgs);
		this.tls = tls;
		this.workDirectory = workDirectory;
		this.configFile = configFile;
	}

	Path binary() {
		return binary;
	}

	/**
	 * {@return the {@code --requirepass} the server was given, which the testkit's own checks
	 * log in with; or {@code null}}
	 */
	String password() {
		return password;
	}

	/** {@return the TLS port, or {@code null} without TLS} */
	TlsPort tls() {
		return tls;
	}

	Path workDirectory() {
		return workDirectory;
	}

	/**
	 * Persistence is off so that a restarted node comes back empty, as a real one restarted
	 * without persistence would; the extra arguments come last so that they win. A configuration
	 * file, if any, must be the first argument; the options that follow override it.
	 */
	List<String> forPort(int port) {
		List<String> command = new ArrayList<>(List.of(binary.toString()));
		if (configFile != null) {
			command.add(configFile.toString());
		}
		command.addAll(List.of("--port", Integer.toString(port),
				"--bind", RedisServer.HOST,
				"--save", "",
				"--appendonly", "no",
				"--dir", workDirectory.toString(),
				"--daemonize", "no",
				"--loglevel", "warning"));
		if (tls != null) {
			command.addAll(tls.arguments());
		}
		command.addAll(extraArgs);
		return command;
	}

	private static String requirePass(List<String> args) {
		String found = null;
		for (int i = 0; i + 1 < args.size(); i++) {
			// redis-server applies the last occurrence of an option.
			if (args.get(i).equals("--requirepass")) {
				found = args.get(i + 1);
			}
		}
		return found;
	}
}
