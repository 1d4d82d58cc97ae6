package dev.redlock.testkit;

/**
 * Run in a child JVM by {@link OrphanTest}: starts two servers, pauses one, and reports their pids
 * and the testkit directory (pid files and server scratch directories) on one line. Then it
 * either waits to be killed ({@code wait}), exits without closing anything ({@code exit}), or
 * also keeps starting servers on two threads until refused ({@code loop}), for a {@code SIGTERM}
 * to arrive while servers start.
 */
final class OrphanMain {

	static final String READY = "READY";

	private static final int STARTERS = 2;

	private OrphanMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		// Deliberately never closed: whatever ends this JVM must take the servers with it.
		RedisServers servers = RedisServers.start(2);
		servers.get(1).pause();
		System.out.println(READY + " " + servers.get(0).pid() + " " + servers.get(1).pid() + " "
				+ ProcessReaper.directory());
		System.out.flush();
		String mode = (args.length > 0) ? args[0] : "wait";
		if (mode.equals("exit")) {
			System.exit(0);
		}
		if (mode.equals("loop")) {
			for (int i = 0; i < STARTERS; i++) {
				new Thread(OrphanMain::startUntilRefused, "starter-" + i).start();
			}
		}
		Thread.sleep(Long.MAX_VALUE);
	}

	private static void startUntilRefused() {
		try {
			while (true) {
				// Deliberately never closed, like the first two.
				RedisServer.start();
			}
		}
		catch (RuntimeException refused) {
			// The JVM is shutting down: the testkit refuses to start more, or killed this one.
		}
	}
}
