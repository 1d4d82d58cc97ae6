package dev.redlock.spring.boot;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Where the Redlock's nodes are, like Spring Boot's {@code *ConnectionDetails}: declare a bean
 * and a test or a platform integration supplies the nodes without properties. Without one,
 * the nodes come from {@code redlock.nodes} and {@code redlock.ssl.bundle}.
 */
public interface RedlockConnectionDetails extends ConnectionDetails {

	/**
	 * The nodes, as {@code redlock.nodes} takes them ({@code redis://}, {@code rediss://},
	 * {@code redis-sentinel://}, {@code redis-cluster://}); empty for
	 * {@code redis://localhost:6379} alone.
	 */
	List<String> getNodes();

	/**
	 * The SSL bundle whose trust and key material the clients of {@code rediss://} nodes use,
	 * or {@code null} for the JVM's defaults.
	 */
	default SslBundle getSslBundle() {
		return null;
	}

}
