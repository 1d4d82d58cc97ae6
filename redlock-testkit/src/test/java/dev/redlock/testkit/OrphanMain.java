package dev.redlock.testkit;

/**
 * Run in a child JVM by {@link OrphanTest}: starts two servers, pauses one, and reports their pids
 * and the testkit directory (pid files and server scratch directories) on one line. Then it
 * either waits to be killed ({@code wait}) or exits without closing anything ({@code exit}).
 */
final class OrphanMain {

	static final String READY = "READY";

	private OrphanMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		// Deliberately never closed: whatever ends this JVM must take the servers with it.
		RedisServers servers = RedisServers.start(2);
		servers.get(1).pause();
		System.out.println(READY + " " + servers.get(0).pid() + " " + servers.get(1).pid() + " "
				+ ProcessReaper.directory());
		System.out.flush();
		if (args.length > 0 && args[0].equals("exit")) {
			System.exit(0);
		}
		Thread.sleep(Long.MAX_VALUE);
	}
}
