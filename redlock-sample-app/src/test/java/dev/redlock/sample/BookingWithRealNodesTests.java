package dev.redlock.sample;

import dev.redlock.LockAcquisitionException;
import dev.redlock.sample.booking.BookingService;
import dev.redlock.testkit.RedisServersExtension;
import dev.redlock.testkit.RedlockTestProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The README's "Testing your application with real nodes", word for word (checked by
 * {@link ReadmeExampleTests}): an application's {@code @SpringBootTest} on three real nodes
 * from the testkit. The app's own data is on the first node, so node 0 stays up.
 */
@SpringBootTest
@DirtiesContext // the nodes stop after this class: a cached context would keep calling them
class BookingWithRealNodesTests {

	@RegisterExtension
	static final RedisServersExtension redis = RedisServersExtension.nodes(3);

	@DynamicPropertySource
	static void redlockNodes(DynamicPropertyRegistry registry) {
		RedlockTestProperties.register(registry, redis);
		registry.add("spring.data.redis.url", () -> redis.get(0).uri()); // the app's own data
	}

	@Autowired
	private BookingService bookings;

	@Test
	void booksWithOneNodeOfThreeDown() {
		redis.get(2).kill();                  // a minority: the lock still has its quorum
		assertThat(bookings.book("studio", "mon-9am", "ann").user()).isEqualTo("ann");
	}

	@Test
	void refusesToBookWithoutAQuorum() {
		redis.get(1).kill();
		redis.get(2).kill();                  // a majority down: no lock, so no booking
		assertThatThrownBy(() -> bookings.book("studio", "mon-9am", "bob"))
			.isInstanceOf(LockAcquisitionException.class);
		assertThat(bookings.state("studio", "mon-9am").bookedBy()).isNull();
	}

}
