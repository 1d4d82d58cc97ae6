package dev.redlock.sample.booking;

import java.time.Duration;

import dev.redlock.sample.web.ConflictException;
import dev.redlock.sample.Work;
import dev.redlock.spring.DistributedLock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Seed 004: many users book the same room slot at once. The article's users wanted a
 * blocking lock with a maximum wait, not an instant failure: each request waits up to
 * {@code sample.booking.wait-time} for the slot's lock, then either books it or finds it
 * taken. Exactly one user wins.
 */
@Service
public class BookingService {

	private final StringRedisTemplate redis;

	private final Duration workTime;

	BookingService(StringRedisTemplate redis, @Value("${sample.booking.work-time}") Duration workTime) {
		this.redis = redis;
		this.workTime = workTime;
	}

	@DistributedLock(key = { "'room:' + #room + ':' + #slot" }, ttl = "10s", waitTime = "${sample.booking.wait-time}")
	public Booking book(String room, String slot, String user) {
		return bookUnlocked(room, slot, user);
	}

	/** Check, then write: without the lock, several users see the slot free and all "win". */
	public Booking bookUnlocked(String room, String slot, String user) {
		String key = key(room, slot);
		String holder = this.redis.opsForValue().get(key);
		if (holder != null) {
			throw new ConflictException("Slot " + slot + " of room " + room + " is already booked");
		}
		Work.simulate(this.workTime);
		this.redis.opsForValue().set(key, user);
		this.redis.opsForValue().increment(key + ":confirmations");
		return new Booking(room, slot, user);
	}

	/** Who holds the slot, and how many users were told they booked it (more than one is a double booking). */
	public SlotState state(String room, String slot) {
		String confirmations = this.redis.opsForValue().get(key(room, slot) + ":confirmations");
		return new SlotState(room, slot, this.redis.opsForValue().get(key(room, slot)),
				(confirmations != null) ? Integer.parseInt(confirmations) : 0);
	}

	public void free(String room, String slot) {
		this.redis.delete(java.util.List.of(key(room, slot), key(room, slot) + ":confirmations"));
	}

	private static String key(String room, String slot) {
		return "booking:" + room + ":" + slot;
	}


	public record Booking(String room, String slot, String user) {
	}

	public record SlotState(String room, String slot, String bookedBy, int confirmations) {
	}

}
