package dev.redlock.benchmarks.report;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Just enough JSON for the results: objects, arrays, strings, numbers, null. */
final class Json {

	private Json() {
	}

	/** Writes maps as objects (in their iteration order), lists as arrays, indented. */
	static String write(Object value) {
		StringBuilder out = new StringBuilder();
		write(value, out, "");
		return out.append('\n').toString();
	}

	private static void write(Object value, StringBuilder out, String indent) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof String text) {
			string(text, out);
		}
		else if (value instanceof Double number) {
			out.append(number(number));
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			members(map.entrySet().iterator(), out, indent, '{', '}');
		}
		else if (value instanceof List<?> list) {
			members(list.iterator(), out, indent, '[', ']');
		}
		else {
			throw new IllegalArgumentException("No JSON for " + value.getClass());
		}
	}

	private static void members(Iterator<?> members, StringBuilder out, String indent, char open, char close) {
		out.append(open);
		if (!members.hasNext()) {
			out.append(close);
			return;
		}
		String inner = indent + "  ";
		while (members.hasNext()) {
			out.append('\n').append(inner);
			Object member = members.next();
			if (member instanceof Map.Entry<?, ?> entry) {
				string(String.valueOf(entry.getKey()), out);
				out.append(": ");
				write(entry.getValue(), out, inner);
			}
			else {
				write(member, out, inner);
			}
			if (members.hasNext()) {
				out.append(',');
			}
		}
		out.append('\n').append(indent).append(close);
	}

	/** Three decimals at most: microseconds to the nanosecond, rates to a thousandth. */
	private static String number(double value) {
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			return "null";
		}
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return Long.toString((long) value);
		}
		String text = String.format(Locale.ROOT, "%.3f", value);
		return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
	}

	private static void string(String text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
