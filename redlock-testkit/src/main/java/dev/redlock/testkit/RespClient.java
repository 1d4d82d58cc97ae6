package dev.redlock.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal blocking RESP2 client over a plain socket.
 *
 * <p>The testkit only needs a handful of commands (PING, AUTH, INFO, FLUSHALL) and must not pull
 * a Redis client library onto its users' test class path, where it could clash with the one the
 * code under test uses. Replies of type simple string, error, integer and bulk string are read;
 * arrays are not.
 */
final class RespClient implements Closeable {

	/**
	 * One reply; {@code text} is {@code null} for a null bulk string and for arrays, whose
	 * {@code elements} are empty for every other type (and {@code null} for a null array).
	 */
	record Reply(char type, String text, List<Reply> elements) {

		Reply(char type, String text) {
			this(type, text, List.of());
		}

		boolean isError() {
			return type == '-';
		}

		/** {@return the element at {@code index} of an array reply, as text} */
		String element(int index) {
			return elements.get(index).text();
		}

		@Override
		public String toString() {
			return (type == '*') ? type + String.valueOf(elements) : type + String.valueOf(text);
		}
	}

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	private RespClient(Socket socket) throws IOException {
		this.socket = socket;
		this.out = socket.getOutputStream();
		this.in = new BufferedInputStream(socket.getInputStream());
	}

	/**
	 * Connects with {@code timeout} bounding both the connect and every later read, so that a
	 * paused server costs the caller a timeout rather than a hang.
	 */
	static RespClient connect(String host, int port, Duration timeout) throws IOException {
		Socket socket = new Socket();
		try {
			int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
			socket.connect(new InetSocketAddress(host, port), millis);
			socket.setSoTimeout(millis);
			socket.setTcpNoDelay(true);
			return new RespClient(socket);
		}
		catch (IOException | RuntimeException e) {
			socket.close();
			throw e;
		}
	}

	/**
	 * Connects over TLS, checking the server's certificate and that it names {@code host}, with
	 * {@code timeout} bounding the connect, the handshake and every later read.
	 */
	static RespClient connectTls(String host, int port, Duration timeout, SSLContext context) throws IOException {
		Socket plain = new Socket();
		try {
			int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
			plain.connect(new InetSocketAddress(host, port), millis);
			plain.setSoTimeout(millis);
			plain.setTcpNoDelay(true);
			SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			return new RespClient(socket);
		}
		catch (IOException | RuntimeException e) {
			plain.close();
			throw e;
		}
	}

	/** Sends one command and reads its reply. */
	Reply call(String... command) throws IOException {
		out.write(encode(command));
		out.flush();
		return read();
	}

	private static byte[] encode(String... command) {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		writeAscii(buffer, "*" + command.length + "\r\n");
		for (String argument : command) {
			byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
			writeAscii(buffer, "$" + bytes.length + "\r\n");
			buffer.writeBytes(bytes);
			writeAscii(buffer, "\r\n");
		}
		return buffer.toByteArray();
	}

	private static void writeAscii(ByteArrayOutputStream buffer, String text) {
		buffer.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
	}

	private Reply read() throws IOException {
		int type = in.read();
		if (type == -1) {
			throw new EOFException("Connection closed by server");
		}
		String line = readLine();
		return switch (type) {
			case '+', '-', ':' -> new Reply((char) type, line);
			case '$' -> readBulk(line);
			case '*' -> readArray(line);
			default -> throw new IOException("Unsupported RESP reply type '" + (char) type + "'");
		};
	}

	private Reply readArray(String header) throws IOException {
		int length = parseLength(header);
		if (length < 0) {
			return new Reply('*', null, null);
		}
		List<Reply> elements = new ArrayList<>(length);
		for (int i = 0; i < length; i++) {
			elements.add(read());
		}
		return new Reply('*', null, List.copyOf(elements));
	}

	private Reply readBulk(String header) throws IOException {
		int length = parseLength(header);
		if (length < 0) {
			return new Reply('$', null);
		}
		byte[] body = in.readNBytes(length);
		if (body.length < length) {
			throw new EOFException("Connection closed inside a bulk string");
		}
		readLine();
		return new Reply('$', new String(body, StandardCharsets.UTF_8));
	}

	private static int parseLength(String header) throws IOException {
		try {
			return Integer.parseInt(header);
		}
		catch (NumberFormatException e) {
			throw new IOException("Malformed length '" + header + "'", e);
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		while (true) {
			int b = in.read();
			if (b == -1) {
				throw new EOFException("Connection closed inside a reply");
			}
			if (b == '\r') {
				if (in.read() != '\n') {
					throw new IOException("Malformed reply: CR not followed by LF");
				}
				return line.toString(StandardCharsets.UTF_8);
			}
			line.write(b);
		}
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}
}
