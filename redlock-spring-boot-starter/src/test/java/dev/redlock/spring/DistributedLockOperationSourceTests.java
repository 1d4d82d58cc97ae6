package dev.redlock.spring;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redlock.spring.LockOperation.Returns;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Reading annotations and resolving keys, without Redis: parse once, cache, every SpEL form,
 * conversions, durations and the errors that point at the method.
 */
class DistributedLockOperationSourceTests {

	private final CountingParser parser = new CountingParser();

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	private final DistributedLockOperationSource source;

	DistributedLockOperationSourceTests() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("lock.ttl", "7s", "lock.wait", "0", "lock.empty", "")));
		this.beanFactory.addEmbeddedValueResolver(environment::resolveRequiredPlaceholders);
		this.beanFactory.registerSingleton("names", new Names());
		this.source = new DistributedLockOperationSource("locks:", Duration.ofSeconds(30), Duration.ofSeconds(10),
				OnLost.LOG, this.beanFactory, this.parser);
	}

	@Test
	void parsesEachExpressionOnceAndCachesTheOperation() {
		Method method = method(Keys.class, "byName", long.class, String.class);
		LockOperation first = this.source.getOperation(method, Keys.class);
		assertThat(this.parser.parses).hasValue(1);
		for (int i = 0; i < 100; i++) {
			assertThat(this.source.getOperation(method, Keys.class)).isSameAs(first);
			assertThat(keys("byName", new Object[] { (long) i, "x" })).containsExactly("locks:order:" + i);
		}
		assertThat(this.parser.parses).hasValue(1);
	}

	@Test
	void readsTheSameExpressionOnAnotherTargetClassOnItsOwn() {
		Method method = method(Keys.class, "byName", long.class, String.class);
		this.source.getOperation(method, Keys.class);
		this.source.getOperation(method, SubKeys.class);
		this.source.getOperation(method, SubKeys.class);
		assertThat(this.parser.parses).hasValue(2);
	}

	@Test
	void parsesAtValidationSoThatCallsParseNothing() {
		this.source.validate(Keys.class);
		int parsed = this.parser.parses.get();
		assertThat(parsed).isEqualTo(15);
		keys("byName", new Object[] { 1L, "x" });
		keys("multi", new Object[] { 1, 2 });
		keys("bean", new Object[] { 5L });
		assertThat(this.parser.parses).hasValue(parsed);
	}

	@Test
	void evaluatesParametersByNameAndPosition() {
		assertThat(keys("byName", new Object[] { 42L, "x" })).containsExactly("locks:order:42");
		assertThat(keys("byP0", new Object[] { 42L, "x" })).containsExactly("locks:p:42");
		assertThat(keys("byA1", new Object[] { 42L, "x" })).containsExactly("locks:a:x");
	}

	@Test
	void evaluatesTheRootObject() {
		assertThat(keys("methodName", new Object[0])).containsExactly("locks:methodName");
		assertThat(keys("methodNameOfMethod", new Object[0])).containsExactly("locks:methodNameOfMethod");
		assertThat(keys("target", new Object[0])).containsExactly("locks:eu");
		assertThat(keys("targetClass", new Object[0])).containsExactly("locks:Keys");
		assertThat(keys("args", new Object[] { "a", "b" })).containsExactly("locks:b");
	}

	@Test
	void evaluatesBeanReferences() {
		assertThat(keys("bean", new Object[] { 5L })).containsExactly("locks:account-5");
	}

	@Test
	void convertsValuesThatAreNotStrings() {
		UUID id = UUID.fromString("2f1c8c44-3d3a-4a57-b0f7-2a1cc36f3d49");
		assertThat(keys("raw", new Object[] { 7L })).containsExactly("locks:7");
		assertThat(keys("raw", new Object[] { id })).containsExactly("locks:" + id);
		assertThat(keys("raw", new Object[] { Color.RED })).containsExactly("locks:RED");
	}

	@Test
	void locksSeveralKeysInOrderAndOnceEach() {
		assertThat(keys("multi", new Object[] { 1, 2 })).containsExactly("locks:a:1", "locks:b:2");
		assertThat(keys("same", new Object[] { 3, 3 })).containsExactly("locks:account:3");
	}

	@Test
	void aNullKeyNamesTheMethodTheExpressionAndTheParametersFlag() {
		assertThatIllegalArgumentException().isThrownBy(() -> keys("raw", new Object[] { null }))
			.withMessageContaining("Keys.raw")
			.withMessageContaining("\"#value\"")
			.withMessageContaining("evaluated to null")
			.withMessageContaining("-parameters");
		assertThatIllegalArgumentException().isThrownBy(() -> keys("raw", new Object[] { "  " }))
			.withMessageContaining("a blank string");
	}

	@Test
	void aKeyThatFailsToEvaluateNamesTheMethod() {
		assertThatIllegalArgumentException().isThrownBy(() -> keys("missingProperty", new Object[] { "x" }))
			.withMessageContaining("Keys.missingProperty")
			.withMessageContaining("#value.nothing");
	}

	@Test
	void parsesDurationsAndFallsBackToTheDefaults() {
		assertThat(operation(Durations.class, "defaults").ttl()).isEqualTo(Duration.ofSeconds(30));
		assertThat(operation(Durations.class, "defaults").waitTime()).isEqualTo(Duration.ofSeconds(10));
		assertThat(operation(Durations.class, "simple").ttl()).isEqualTo(Duration.ofSeconds(10));
		assertThat(operation(Durations.class, "simple").waitTime()).isEqualTo(Duration.ofMillis(500));
		assertThat(operation(Durations.class, "iso").ttl()).isEqualTo(Duration.ofSeconds(10));
		assertThat(operation(Durations.class, "iso").waitTime()).isEqualTo(Duration.ofMinutes(2));
		assertThat(operation(Durations.class, "placeholders").ttl()).isEqualTo(Duration.ofSeconds(7));
		assertThat(operation(Durations.class, "placeholders").waitTime()).isZero();
		assertThat(operation(Durations.class, "emptyPlaceholder").ttl()).isEqualTo(Duration.ofSeconds(30));
		assertThat(operation(Durations.class, "zeroWait").waitTime()).isZero();
	}

	@Test
	void tellsHowTheResultHoldsTheLock() {
		assertThat(operation(Durations.class, "defaults").returns()).isEqualTo(Returns.VALUE);
		assertThat(operation(Returning.class, "optional").returns()).isEqualTo(Returns.OPTIONAL);
		assertThat(operation(Returning.class, "future").returns()).isEqualTo(Returns.COMPLETION_STAGE);
		assertThat(operation(Returning.class, "mono").returns()).isEqualTo(Returns.REACTIVE);
		assertThat(operation(Returning.class, "mono").adapter().isMultiValue()).isFalse();
		assertThat(operation(Returning.class, "flux").returns()).isEqualTo(Returns.REACTIVE);
		assertThat(operation(Returning.class, "flux").adapter().isMultiValue()).isTrue();
		assertThat(operation(Returning.class, "optional").skippedValue()).isEqualTo(Optional.empty());
		assertThat(operation(Durations.class, "defaults").skippedValue()).isNull();
	}

	@Test
	void rejectsWhatCannotWorkNamingTheMethod() {
		assertThatIllegalStateException().isThrownBy(() -> this.source.validate(BadSyntax.class))
			.withMessageContaining("BadSyntax.run")
			.withMessageContaining("\"'order:' + \"")
			.withMessageContaining("not valid SpEL")
			.withCauseInstanceOf(ParseException.class);
		assertThatIllegalStateException().isThrownBy(() -> this.source.validate(BadTtl.class))
			.withMessageContaining("BadTtl.run")
			.withMessageContaining("ttl = \"ten seconds\"");
		assertThatIllegalStateException().isThrownBy(() -> this.source.validate(UnresolvedWait.class))
			.withMessageContaining("UnresolvedWait.run")
			.withMessageContaining("waitTime = \"${lock.missing}\"");
		assertThatIllegalStateException().isThrownBy(() -> this.source.validate(ZeroTtl.class))
			.withMessageContaining("ZeroTtl.run")
			.withMessageContaining("must be positive");
		assertThatIllegalStateException().isThrownBy(() -> this.source.validate(SkipsPrimitive.class))
			.withMessageContaining("SkipsPrimitive.count")
			.withMessageContaining("returns int");
	}

	@Test
	void ignoresMethodsWithoutTheAnnotation() {
		assertThat(this.source.getOperation(method(Keys.class, "plain"), Keys.class)).isNull();
	}

	private List<String> keys(String methodName, Object[] args) {
		Method method = ReflectionUtils.findMethod(Keys.class, methodName, (Class<?>[]) null);
		Keys target = new Keys();
		return this.source.resolveKeys(this.source.getOperation(method, Keys.class), args, target, Keys.class);
	}

	private LockOperation operation(Class<?> type, String methodName) {
		Method method = ReflectionUtils.findMethod(type, methodName, (Class<?>[]) null);
		return this.source.getOperation(method, type);
	}

	private static Method method(Class<?> type, String name, Class<?>... parameterTypes) {
		return ReflectionUtils.findMethod(type, name, parameterTypes);
	}

	static final class CountingParser extends SpelExpressionParser {

		final AtomicInteger parses = new AtomicInteger();

		@Override
		public Expression parseExpression(String expressionString) {
			this.parses.incrementAndGet();
			return super.parseExpression(expressionString);
		}

	}

	enum Color {

		RED

	}

	static class Names {

		public String forAccount(long id) {
			return "account-" + id;
		}

	}

	static class Keys {

		public String getRegion() {
			return "eu";
		}

		@DistributedLock(key = "'order:' + #orderId")
		public void byName(long orderId, String note) {
		}

		@DistributedLock(key = "'p:' + #p0")
		public void byP0(long orderId, String note) {
		}

		@DistributedLock(key = "'a:' + #a1")
		public void byA1(long orderId, String note) {
		}

		@DistributedLock(key = "#root.methodName")
		public void methodName() {
		}

		@DistributedLock(key = "#root.method.name")
		public void methodNameOfMethod() {
		}

		@DistributedLock(key = "#root.target.region")
		public void target() {
		}

		@DistributedLock(key = "#root.targetClass.simpleName")
		public void targetClass() {
		}

		@DistributedLock(key = "#root.args[1]")
		public void args(String first, String second) {
		}

		@DistributedLock(key = "@names.forAccount(#id)")
		public void bean(long id) {
		}

		@DistributedLock(key = "#value")
		public void raw(Object value) {
		}

		@DistributedLock(key = "#value.nothing")
		public void missingProperty(Object value) {
		}

		@DistributedLock(key = { "'a:' + #x", "'b:' + #y" })
		public void multi(int x, int y) {
		}

		@DistributedLock(key = { "'account:' + #from", "'account:' + #to" })
		public void same(int from, int to) {
		}

		public void plain() {
		}

	}

	static class SubKeys extends Keys {

	}

	static class Durations {

		@DistributedLock(key = "'d'")
		public void defaults() {
		}

		@DistributedLock(key = "'d'", ttl = "10s", waitTime = "500ms")
		public void simple() {
		}

		@DistributedLock(key = "'d'", ttl = "PT10S", waitTime = "2m")
		public void iso() {
		}

		@DistributedLock(key = "'d'", ttl = "${lock.ttl}", waitTime = "${lock.wait}")
		public void placeholders() {
		}

		@DistributedLock(key = "'d'", ttl = "${lock.empty}")
		public void emptyPlaceholder() {
		}

		@DistributedLock(key = "'d'", waitTime = "0")
		public void zeroWait() {
		}

	}

	static class Returning {

		@DistributedLock(key = "'r'")
		public Optional<String> optional() {
			return Optional.empty();
		}

		@DistributedLock(key = "'r'")
		public CompletableFuture<String> future() {
			return CompletableFuture.completedFuture("r");
		}

		@DistributedLock(key = "'r'")
		public Mono<String> mono() {
			return Mono.empty();
		}

		@DistributedLock(key = "'r'")
		public Flux<String> flux() {
			return Flux.empty();
		}

	}

	static class BadSyntax {

		@DistributedLock(key = "'order:' + ")
		public void run() {
		}

	}

	static class BadTtl {

		@DistributedLock(key = "'x'", ttl = "ten seconds")
		public void run() {
		}

	}

	static class UnresolvedWait {

		@DistributedLock(key = "'x'", waitTime = "${lock.missing}")
		public void run() {
		}

	}

	static class ZeroTtl {

		@DistributedLock(key = "'x'", ttl = "0s")
		public void run() {
		}

	}

	static class SkipsPrimitive {

		@DistributedLock(key = "'x'", ifLocked = IfLocked.SKIP)
		public int count() {
			return 1;
		}

	}

}
