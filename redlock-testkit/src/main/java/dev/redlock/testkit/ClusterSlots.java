package dev.redlock.testkit;

import java.nio.charset.StandardCharsets;

/**
 * The hash slot of a key, computed as Redis Cluster does: CRC16 (XMODEM) of the key, or of its
 * hash tag, modulo 16384.
 */
final class ClusterSlots {

	static final int COUNT = 16_384;

	private ClusterSlots() {
	}

	/**
	 * A hash tag is what lies between the first {@code '{'} and the first {@code '}'} after it,
	 * if not empty; {@code "{user1}.a"} and {@code "{user1}.b"} share a slot.
	 */
	static int slotOf(String key) {
		byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
		int start = 0;
		int end = bytes.length;
		int open = indexOf(bytes, (byte) '{', 0);
		if (open >= 0) {
			int close = indexOf(bytes, (byte) '}', open + 1);
			if (close > open + 1) {
				start = open + 1;
				end = close;
			}
		}
		return crc16(bytes, start, end) % COUNT;
	}

	static int crc16(byte[] bytes, int from, int to) {
		int crc = 0;
		for (int i = from; i < to; i++) {
			crc ^= (bytes[i] & 0xFF) << 8;
			for (int bit = 0; bit < 8; bit++) {
				crc = ((crc & 0x8000) != 0) ? (crc << 1) ^ 0x1021 : crc << 1;
			}
		}
		return crc & 0xFFFF;
	}

	/** {@return the first slot of the {@code index}-th of {@code masters} even shares; index == masters gives COUNT} */
	static int firstSlotOfShare(int index, int masters) {
		return (int) ((long) index * COUNT / masters);
	}

	private static int indexOf(byte[] bytes, byte wanted, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == wanted) {
				return i;
			}
		}
		return -1;
	}
}
