package dev.redlock.testkit;

import static dev.redlock.testkit.Probes.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The methods run in order: each checks what the extension made of the groups the one before left. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelGroupExtensionTest {

	@RegisterExtension
	static final SentinelGroupExtension sentinels = SentinelGroupExtension.groups("first", "second");

	private static List<String> firstUris;

	@Test
	@Order(1)
	void startsAGroupPerNameAndLeavesData() {
		firstUris = sentinels.uris();
		assertThat(firstUris).hasSize(2);
		assertThat(firstUris.get(0)).endsWith("#first");
		assertThat(firstUris.get(1)).endsWith("#second");
		sentinels.groups().forEach(group -> call(group.master(), "SET", "left-over", "x"));
	}

	@Test
	@Order(2)
	void flushesIntactGroupsAndKeepsThem() {
		assertThat(sentinels.uris()).isEqualTo(firstUris);
		sentinels.groups().forEach(group -> assertThat(call(group.master(), "EXISTS", "left-over")).isEqualTo(":0"));
		sentinels.get(0).failover();
	}

	@Test
	@Order(3)
	void replacesAGroupThatFailedOver() {
		assertThat(sentinels.uris().get(0)).isNotEqualTo(firstUris.get(0));
		assertThat(sentinels.uris().get(1)).isEqualTo(firstUris.get(1));
		assertThat(sentinels.get(0).currentMaster()).isSameAs(sentinels.get(0).master());
	}
}
