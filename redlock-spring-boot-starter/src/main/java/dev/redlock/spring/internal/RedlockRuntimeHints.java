package dev.redlock.spring.internal;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What key expressions reach by reflection in a native image: the {@code #root} object's
 * properties. The annotated methods themselves are registered through
 * {@link org.springframework.aot.hint.annotation.Reflective @Reflective} on
 * {@link dev.redlock.spring.DistributedLock @DistributedLock}.
 */
public final class RedlockRuntimeHints implements RuntimeHintsRegistrar {

	static final TypeReference ROOT_OBJECT = TypeReference.of("dev.redlock.spring.LockExpressionRootObject");

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		hints.reflection().registerType(ROOT_OBJECT, MemberCategory.INVOKE_PUBLIC_METHODS);
	}

}
