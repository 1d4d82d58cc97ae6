package dev.redlock.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The counter key's name: the documented forms, the lock key's slot, and no two resources sharing one. */
class FenceKeysTests {

	private static final List<String> AWKWARD = List.of("locks:account:1", "locks:{user:7}:cart", "{user:7}", "a}b", "}",
			"{}x}", "x{}y}", "{", "a{b", "a{b}", "{{b}}", "{}{a}", "}{a}", "a{}", "é{ü}", "日本{語}", "\u0000{\u0000}",
			"locks:x:fence", "{a}{b}", "a}{b}c");

	@Test
	void keysHaveTheDocumentedForms() {
		assertThat(FenceKeys.of("locks:account:1")).isEqualTo("redlock:fence:{locks:account:1}");
		assertThat(FenceKeys.of("locks:{user:7}:cart")).isEqualTo("redlock:fence:{user:7}locks:{user:7}:cart");
		assertThat(FenceKeys.of("a{b")).isEqualTo("redlock:fence:{a{b}");
		// No tag can hold a '}': a decimal tag of the same slot stands in.
		String key = FenceKeys.of("a}b");
		assertThat(key).startsWith("redlock:fence:{").endsWith("}a}b");
		assertThat(key.substring("redlock:fence:{".length(), key.indexOf('}'))).containsOnlyDigits();
	}

	@Test
	void everyCounterKeyIsInItsLockKeysSlot() {
		List<String> resources = new ArrayList<>(AWKWARD);
		for (int i = 0; i < 2_000; i++) {
			resources.add("locks:" + i);
			resources.add("}" + i);
			resources.add("{}" + i + "}");
		}
		for (String resource : resources) {
			assertThat(SlotHash.getSlot(FenceKeys.of(resource))).as(resource).isEqualTo(SlotHash.getSlot(resource));
			assertThat(FenceKeys.of(resource)).as(resource).startsWith(FenceKeys.PREFIX);
		}
	}

	@Test
	void noTwoResourcesShareACounter() {
		Set<String> keys = new HashSet<>();
		List<String> resources = new ArrayList<>(AWKWARD);
		// Each untagged name next to its tagged twin, whose key would look alike with a naive rule.
		for (String name : List.of("foo", "x", "a}b")) {
			resources.add("{" + name + "}");
			resources.add("{" + name + "}" + name);
		}
		for (String resource : resources) {
			assertThat(keys.add(FenceKeys.of(resource))).as("counter of %s is new", resource).isTrue();
		}
	}

	@Test
	void theHashTagFollowsRedisClusterRules() {
		assertThat(FenceKeys.hashTag("a{b}c")).isEqualTo("b");
		assertThat(FenceKeys.hashTag("a{}b}")).isNull();
		assertThat(FenceKeys.hashTag("a{b")).isNull();
		assertThat(FenceKeys.hashTag("}a{b}")).isEqualTo("b");
		assertThat(FenceKeys.hashTag("{{b}}")).isEqualTo("{b");
		assertThat(FenceKeys.hashTag("plain")).isNull();
	}

}
