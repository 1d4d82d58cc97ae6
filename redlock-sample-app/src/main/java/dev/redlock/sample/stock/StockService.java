package dev.redlock.sample.stock;

import java.time.Duration;

import dev.redlock.sample.web.BadRequestException;
import dev.redlock.sample.web.ConflictException;
import dev.redlock.sample.Work;
import dev.redlock.spring.DistributedLock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Seeds 002 and 003: a purchase reads the stock, works a little, and writes it back. Two
 * instances doing that at once sell the same unit twice; under the lock they cannot.
 */
@Service
public class StockService {

	private final StringRedisTemplate redis;

	private final Duration workTime;

	StockService(StringRedisTemplate redis, @Value("${sample.stock.work-time}") Duration workTime) {
		this.redis = redis;
		this.workTime = workTime;
	}

	/** The locked purchase: one buyer of an item at a time, across every instance. */
	@DistributedLock(key = "'stock:' + #item", ttl = "10s", waitTime = "60s")
	public Stock purchase(String item) {
		return purchaseUnlocked(item);
	}

	/** The same read-modify-write without a lock: what goes wrong without one. */
	public Stock purchaseUnlocked(String item) {
		int left = read(item).left();
		if (left <= 0) {
			throw new ConflictException("Sold out: no " + item + " left");
		}
		Work.simulate(this.workTime);
		this.redis.opsForValue().set(key(item, "left"), Integer.toString(left - 1));
		this.redis.opsForValue().increment(key(item, "sold"));
		return read(item);
	}

	public Stock restock(String item, int quantity) {
		if (quantity < 0) {
			throw new BadRequestException("Wrong input: 'quantity' must be zero or more");
		}
		this.redis.opsForValue().set(key(item, "left"), Integer.toString(quantity));
		this.redis.opsForValue().set(key(item, "initial"), Integer.toString(quantity));
		this.redis.opsForValue().set(key(item, "sold"), "0");
		return read(item);
	}

	public Stock read(String item) {
		return new Stock(item, number(key(item, "initial")), number(key(item, "left")), number(key(item, "sold")));
	}

	private int number(String key) {
		String value = this.redis.opsForValue().get(key);
		return (value != null) ? Integer.parseInt(value) : 0;
	}

	private static String key(String item, String field) {
		return "stock:" + item + ":" + field;
	}


	/** An item's stock: sold more than it had means oversold. */
	public record Stock(String item, int initial, int left, int sold) {

		public int oversold() {
			return Math.max(0, this.sold - this.initial);
		}

	}

}
