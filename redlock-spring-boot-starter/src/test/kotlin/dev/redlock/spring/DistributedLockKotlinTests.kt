package dev.redlock.spring

import dev.redlock.spring.boot.RedlockAutoConfiguration
import dev.redlock.testkit.RedisServersExtension
import io.lettuce.core.RedisClient
import io.lettuce.core.RedisURI
import java.time.Duration
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.RegisterExtension
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/**
 * Kotlin `suspend` functions and `Flow` results hold their lock until the coroutine, or the
 * collection of the flow, is over; before, the lock was released as soon as the call returned.
 */
class DistributedLockKotlinTests {

	companion object {

		@JvmField
		@RegisterExtension
		val redis: RedisServersExtension = RedisServersExtension.nodes(3)

		private val client: RedisClient = RedisClient.create()

		@JvmStatic
		@AfterAll
		fun disconnect() {
			client.shutdown()
		}

		/** Whether every node has `key`, as the nodes themselves answer. */
		fun heldEverywhere(key: String): Boolean = (0 until redis.size()).all { i ->
			val server = redis.get(i)
			client.connect(RedisURI.create(server.host(), server.port())).use { it.sync().exists(key) == 1L }
		}

		fun absentEverywhere(key: String): Boolean = (0 until redis.size()).none { i ->
			val server = redis.get(i)
			client.connect(RedisURI.create(server.host(), server.port())).use { it.sync().exists(key) == 1L }
		}

		/** A release returns once a quorum deleted the key; the other nodes follow at once. */
		fun releasedEverywhere(key: String) {
			await().atMost(Duration.ofSeconds(10)).until { absentEverywhere(key) }
		}
	}

	private val runner = ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration::class.java, RedlockAutoConfiguration::class.java))
		.withPropertyValues(*(0 until redis.size()).map { "redlock.nodes[$it]=${redis.uris()[it]}" }.toTypedArray())
		.withPropertyValues("redlock.command-timeout=1s")
		.withBean(Coroutines::class.java)

	@Test
	fun aSuspendFunctionHoldsItsLockUntilItResumesAndReturns() {
		runner.run { context ->
			val coroutines = context.getBean(Coroutines::class.java)
			runBlocking {
				val entered = CompletableDeferred<Unit>()
				val gate = CompletableDeferred<Unit>()
				val call = async { coroutines.suspending(entered, gate) }
				withTimeout(30_000) { entered.await() }
				// The coroutine is suspended, its caller has no result yet: the lock must still be held.
				assertThat(heldEverywhere("locks:kotlin:suspend")).isTrue()
				gate.complete(Unit)
				assertThat(withTimeout(30_000) { call.await() }).isEqualTo("done")
			}
			releasedEverywhere("locks:kotlin:suspend")
		}
	}

	@Test
	fun aFlowHoldsItsLockWhileItIsCollected() {
		runner.run { context ->
			val coroutines = context.getBean(Coroutines::class.java)
			val flow = coroutines.flowing()
			// Returned but not collected yet: a cold flow takes the lock when collected.
			assertThat(absentEverywhere("locks:kotlin:flow")).isTrue()
			val seen = runBlocking { withTimeout(30_000) { flow.toList() } }
			assertThat(seen).containsExactly(true, true)
			releasedEverywhere("locks:kotlin:flow")
		}
	}

	@Test
	fun aSuspendFunctionReturningAFlowHoldsItsLockWhileItIsCollected() {
		runner.run { context ->
			val coroutines = context.getBean(Coroutines::class.java)
			val seen = runBlocking { withTimeout(30_000) { coroutines.suspendingFlow().toList() } }
			assertThat(seen).containsExactly(true)
			releasedEverywhere("locks:kotlin:suspend-flow")
		}
	}

	open class Coroutines {

		@DistributedLock(key = ["'kotlin:suspend'"])
		open suspend fun suspending(entered: CompletableDeferred<Unit>, gate: CompletableDeferred<Unit>): String {
			entered.complete(Unit)
			gate.await()
			return "done"
		}

		@DistributedLock(key = ["'kotlin:flow'"])
		open fun flowing(): Flow<Boolean> = flow {
			emit(heldEverywhere("locks:kotlin:flow"))
			emit(heldEverywhere("locks:kotlin:flow"))
		}

		@DistributedLock(key = ["'kotlin:suspend-flow'"])
		open suspend fun suspendingFlow(): Flow<Boolean> = flow {
			emit(heldEverywhere("locks:kotlin:suspend-flow"))
		}
	}
}
