package dev.redlock.benchmarks.aspect;

/**
 * The contenders of the aspect scenario, in report order. They are not
 * {@link dev.redlock.benchmarks.contenders.Contender}s, which each connect a client of their
 * own: these share one {@link AspectApplication}, so that they lock through the same Redlock
 * bean and differ by the aspect alone.
 */
public enum AspectContender {

	/** The reference: the core called by hand on the application's Redlock bean. */
	CORE_DIRECT("core-direct", "this project's core called directly on the Spring context's Redlock bean: "
			+ "`redlock.acquire(List.of(key), ttl, Duration.ZERO).release()`; the reference of scenario (e)"),

	/** The annotation as the issue asks for it: one attempt, no automatic extension. */
	ASPECT("aspect", "redlock-spring-boot-starter's aspect: a no-op method of a Spring bean (class-based proxy) "
			+ "annotated `@DistributedLock(key = \"#key\", ttl = \"10s\", waitTime = \"0\", autoExtend = false)`"),

	/** The same with the annotation's default, which schedules and cancels an extension per call. */
	ASPECT_AUTO_EXTEND("aspect-autoextend", "the same with the default `autoExtend = true`: every call also "
			+ "schedules the automatic extension and cancels it on release"),

	/**
	 * The plain aspect's method in a second context of its own that also has a meter registry
	 * and an observation registry: what the starter's meters and observations add.
	 */
	ASPECT_OBSERVED("aspect-observed", "the `aspect` method in a second context with a `SimpleMeterRegistry` and an "
			+ "`ObservationRegistry` whose meter handler times every observation: the starter's meters "
			+ "(`redlock.acquire`, `redlock.held`) and `redlock.lock` observations on every call; Lettuce's own "
			+ "command observations off (`-Dbenchmarks.lettuce-observations=true` keeps them)");

	private final String id;

	private final String description;

	AspectContender(String id, String description) {
		this.id = id;
		this.description = description;
	}

	/** The {@code contender} field of the results. */
	public String id() {
		return this.id;
	}

	/** What it is, for the report. */
	public String description() {
		return this.description;
	}

}
