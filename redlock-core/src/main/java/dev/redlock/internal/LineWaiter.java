package dev.redlock.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redlock.internal.WaitingLines.Entered;

/**
 * One acquisition's place in its key's {@linkplain WaitingLines waiting lines}: entered on
 * every node when it first sleeps, claimed from by its attempts, left when it ends. Only a
 * single-resource acquisition with release notifications waits in line: a line's head is
 * woken by a notification, and a multi-resource lock has one line per resource.
 */
final class LineWaiter {

	/**
	 * What one entry round found.
	 * @param lined whether some node keeps lines; if none does, the waiter listens on the key's channel instead
	 * @param free whether a quorum has the key free, or reserved for this waiter
	 * @param reserved whether any node reserved it for this waiter
	 */
	record Entry(boolean lined, boolean free, boolean reserved) {

	}

	private final LockContext context;

	private final String key;

	private final boolean applies;

	/** Read by the notifications' threads, to find the head a release names. */
	private volatile String id;

	private volatile boolean refusedEverywhere;

	private final long expiryMillis;

	/** How many nodes the last first attempt put this waiter in line on; -1 if it did not try to. */
	private final AtomicInteger enteredByAttempt = new AtomicInteger(-1);

	private final long commandTimeoutNanos;

	/** The last claim as the line's head, told of the nodes' reservations; {@code null} before. */
	private volatile HeadClaim headClaim;

	LineWaiter(LockContext context, Settings settings, String[] keys) {
		this.context = context;
		this.expiryMillis = WaitingLines.expiryMillis(settings);
		this.commandTimeoutNanos = settings.commandTimeout().toNanos();
		this.key = keys[0];
		this.applies = keys.length == 1 && !context.notifications().channel().isEmpty();
	}

	/** The id the lines know this waiter by, from its first entry on; {@code null} before, or where no node keeps lines. */
	String id() {
		return this.id;
	}

	/**
	 * The id to wait in line under, made on first need; {@code null} if this waiter does not
	 * wait in line, or no node keeps lines.
	 */
	String prepare() {
		if (this.applies && this.id == null && !this.refusedEverywhere) {
			this.id = this.context.notifications().nextLineId();
		}
		return this.id;
	}

	/**
	 * Enters the line on every node (again: a waiter already in line keeps its place).
	 * @return what a quorum of nodes said; completes on a node's I/O thread
	 */
	CompletableFuture<Entry> enter() {
		String entering = prepare();
		if (entering == null) {
			return CompletableFuture.completedFuture(new Entry(false, false, false));
		}
		AtomicInteger reserved = new AtomicInteger();
		AtomicInteger lined = new AtomicInteger();
		return this.context.rounds().enterLine(this.key, entering, this.expiryMillis, (entered) -> {
			if (entered != Entered.NO_LINES) {
				lined.incrementAndGet();
			}
			if (entered == Entered.RESERVED_FOR_THIS_WAITER) {
				reserved.incrementAndGet();
			}
		}).decided().thenApply((tally) -> {
			if (lined.get() == 0 && this.context.rounds().linesRefusedEverywhere()) {
				// No node keeps lines (an ACL, an old Redis): claims are plain SETs, and local
				// releases may wake this waiter as any other.
				this.id = null;
				this.refusedEverywhere = true;
			}
			return new Entry(lined.get() > 0, tally.hasQuorum(), reserved.get() > 0);
		});
	}

	/**
	 * Whether the first attempt may enter the line itself, where it loses: this Redlock already
	 * hears the key's releases on its own channel, so a release after the entry is heard, and
	 * one before it is seen by it. A waiter of a key contended again and again then saves the
	 * entry's round trip.
	 */
	boolean entersWithFirstAttempt() {
		return this.applies && !this.refusedEverywhere && this.context.notifications().hearsOwnChannel(this.key);
	}

	/** The first attempt: sets the key where it is free, and enters the line everywhere else. */
	Tally takeOrEnter(String token, long ttlMillis) {
		String entering = prepare();
		this.enteredByAttempt.set(0);
		return this.context.rounds().takeOrEnterLine(this.key, token, ttlMillis, entering, this.expiryMillis, (entered) -> {
			if (entered == Entered.IN_LINE) {
				this.enteredByAttempt.incrementAndGet();
			}
		});
	}

	/**
	 * Whether the first attempt put this waiter in line on a quorum of nodes, once: its first
	 * sleep then needs no entry of its own.
	 */
	boolean takeEnteredByAttempt() {
		return this.enteredByAttempt.getAndSet(-1) >= this.context.quorum();
	}

	/**
	 * Claims the key on every node as the head of its line, named by the nodes: see
	 * {@link HeadClaim}.
	 */
	HeadClaim claimAsHead(String token, long ttlMillis, LockHolders holders) {
		HeadClaim claim = new HeadClaim(this.context, this.key, this.id, token, ttlMillis, this.commandTimeoutNanos, holders);
		this.headClaim = claim;
		return claim;
	}

	/** Node {@code node} told this waiter that it reserved the key for it. */
	void reservedBy(int node) {
		HeadClaim claim = this.headClaim;
		if (claim != null) {
			claim.reservedBy(node);
		}
	}

	/**
	 * Leaves the line on every node whose grant of the lock won, {@code grants}, did not
	 * complete true (a grant took the waiter out of the line), once it completed; on every
	 * node for {@code null}.
	 */
	void leave(CompletableFuture<?>[] grants) {
		String leaving = this.id;
		if (leaving == null) {
			return;
		}
		String channel = this.context.notifications().channel();
		if (grants == null) {
			this.context.rounds().leaveLine(this.key, leaving, channel, -1);
			return;
		}
		for (int i = 0; i < grants.length; i++) {
			int node = i;
			grants[i].whenComplete((granted, ex) -> {
				if (!Boolean.TRUE.equals(granted)) {
					this.context.rounds().leaveLine(this.key, leaving, channel, node);
				}
			});
		}
	}

}
