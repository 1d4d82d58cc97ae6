package dev.redlock.sample.fenced;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.redlock.sample.fenced.RecordWriter.Attempt;
import dev.redlock.sample.web.BadRequestException;

import org.springframework.stereotype.Service;

/**
 * The fenced scenario from Kleppmann's critique: client 1 takes the lock and its token, then
 * pauses past the ttl; client 2 gets the lock meanwhile and writes; client 1 wakes and writes.
 * Client 1's pause lasts until client 2 has written ({@code sample.fenced.ttl} at least, since
 * client 2 waits for client 1's lock to run out), so the run never depends on timing.
 * Through a fence the store refuses client 1's write, its token being lower; without one,
 * client 1 overwrites client 2's update, which is lost.
 */
@Service
public class PausedWriterScenario {

	private final RecordWriter writer;

	private final RedisRecords redisRecords;

	private final JdbcRecords jdbcRecords = JdbcRecords.inMemory();

	PausedWriterScenario(RecordWriter writer, RedisRecords redisRecords) {
		this.writer = writer;
		this.redisRecords = redisRecords;
	}

	public Outcome run(String id, String storeName, boolean fenced) throws Exception {
		Records store = store(storeName);
		CountDownLatch firstHasToken = new CountDownLatch(1);
		CountDownLatch firstWakesUp = new CountDownLatch(1);
		// Client 1 takes the lock and its token, then pauses.
		CompletableFuture<Attempt> first = CompletableFuture.supplyAsync(() -> {
			try {
				return this.writer.update(store, id, "written by client 1", fenced, firstHasToken, firstWakesUp);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Client 1 was interrupted", ex);
			}
		});
		try {
			if (!firstHasToken.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Client 1 did not get the lock within 30 s");
			}
			// Client 2 waits for the lock, which it gets once client 1's ttl has run out, and writes.
			CountDownLatch awake = new CountDownLatch(0);
			Attempt second = this.writer.update(store, id, "written by client 2", fenced, new CountDownLatch(1), awake);
			// Only now does client 1 wake up, and write as if it still held the lock.
			firstWakesUp.countDown();
			Attempt firstAttempt = first.get(60, TimeUnit.SECONDS);
			Records.Record record = store.read(id);
			return new Outcome(storeName, fenced, firstAttempt, second, record,
					!second.value().equals(record.value()));
		}
		finally {
			firstWakesUp.countDown();
		}
	}

	public Records.Record read(String id, String storeName) {
		return store(storeName).read(id);
	}

	private Records store(String name) {
		return switch (name) {
			case "redis" -> this.redisRecords;
			case "jdbc" -> this.jdbcRecords;
			default -> throw new BadRequestException(
					"Wrong input: 'store' must be 'redis' or 'jdbc', not '" + name + "'");
		};
	}

	/**
	 * Both clients' attempts and the record as it ended up; {@code lostUpdate} when client 2's
	 * update was overwritten by the stale client 1.
	 */
	public record Outcome(String store, boolean fenced, Attempt client1, Attempt client2, Records.Record record,
			boolean lostUpdate) {
	}

}
