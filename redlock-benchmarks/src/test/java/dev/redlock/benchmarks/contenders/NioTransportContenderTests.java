package dev.redlock.benchmarks.contenders;

import io.lettuce.core.resource.EpollProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transport comparison compares what it says: this module's Lettuce runs on native epoll
 * (on Linux x86-64 and aarch64, where the benchmarks run), and each {@code -nio} variant asks
 * its fork to turn it off. No Redis.
 */
class NioTransportContenderTests {

	@Test
	void lettuceRunsOnNativeEpollInThisModule() {
		assertThat(System.getProperty("os.name")).as("the benchmarks run on Linux").isEqualTo("Linux");
		assertThat(EpollProvider.isAvailable()).as("netty-transport-native-epoll on the class path and loadable")
			.isTrue();
	}

	@Test
	void eachNioVariantTurnsEpollOffInItsForkAndNowhereElse() {
		Contender redlockNio = Contenders.byId("redlock-nio");
		Contender floorNio = Contenders.byId("floor-nio");
		assertThat(redlockNio.jvmArgs()).containsExactly("-Dio.lettuce.core.epoll=false");
		assertThat(floorNio.jvmArgs()).containsExactly("-Dio.lettuce.core.epoll=false");
		assertThat(Contenders.all()).allSatisfy((contender) -> assertThat(contender.jvmArgs()).isEmpty());
		assertThat(Contenders.all()).extracting(Contender::id).doesNotContain("redlock-nio", "floor-nio");
	}

}
