package dev.redlock.spring;

import java.lang.reflect.Method;

import dev.redlock.spring.LockOperation.Returns;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A {@code Publisher} is held through the adapter Spring's {@link ReactiveAdapterRegistry}
 * has for it. With Reactor on the classpath every {@code Publisher} has one; a registry
 * without it (an application without Reactor) cannot adapt one, and the method is refused,
 * named, at start-up rather than released as soon as the cold publisher is returned.
 */
class ReturnTypesTests {

	private final Method items = ReflectionUtils.findMethod(Catalog.class, "items");

	private final String description = ClassUtils.getQualifiedMethodName(this.items, Catalog.class);

	@Test
	void aPublisherOfItsOwnTypeIsHeldThroughTheSharedRegistry() {
		ReturnTypes.Classified classified = new ReturnTypes(ReactiveAdapterRegistry.getSharedInstance())
			.classify(this.items, this.description);
		assertThat(classified.returns()).isEqualTo(Returns.REACTIVE);
		assertThat(classified.adapter()).isNotNull();
	}

	@Test
	void aPublisherNoAdapterKnowsIsRefusedNamingTheMethod() {
		ReturnTypes returnTypes = new ReturnTypes(new EmptyRegistry());
		assertThatExceptionOfType(DistributedLockDeclarationException.class)
			.isThrownBy(() -> returnTypes.classify(this.items, this.description))
			.satisfies((ex) -> {
				assertThat(ex.getMethod()).isEqualTo(this.description).endsWith("Catalog.items");
				assertThat(ex.getProblem()).contains("returns " + ItemPublisher.class.getName())
					.contains("ReactiveAdapterRegistry");
				assertThat(ex.getAction()).contains("reactor-core").contains("return a Mono or Flux");
				assertThat(ex.getMessage()).contains("Catalog.items");
			});
	}

	/** A registry that adapts nothing, as without Reactor, RxJava and coroutines. */
	static class EmptyRegistry extends ReactiveAdapterRegistry {

		@Override
		public ReactiveAdapter getAdapter(Class<?> reactiveType) {
			return null;
		}

		@Override
		public ReactiveAdapter getAdapter(Class<?> reactiveType, Object source) {
			return null;
		}

		@Override
		public boolean hasAdapters() {
			return false;
		}

	}

	static class Catalog {

		@DistributedLock(key = "'catalog'")
		public ItemPublisher items() {
			return new ItemPublisher();
		}

	}

	static class ItemPublisher implements Publisher<String> {

		@Override
		public void subscribe(Subscriber<? super String> subscriber) {
		}

	}

}
