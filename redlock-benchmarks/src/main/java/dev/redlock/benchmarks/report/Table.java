package dev.redlock.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table: first column left-aligned, the numbers right-aligned. */
final class Table {

	private final List<String> header;

	private final List<List<String>> rows = new ArrayList<>();

	Table(String... header) {
		this.header = List.of(header);
	}

	Table row(String... cells) {
		if (cells.length != this.header.size()) {
			throw new IllegalArgumentException("Expected " + this.header.size() + " cells, got " + cells.length);
		}
		this.rows.add(List.of(cells));
		return this;
	}

	boolean isEmpty() {
		return this.rows.isEmpty();
	}

	String render() {
		StringBuilder out = new StringBuilder();
		out.append("| ").append(String.join(" | ", this.header)).append(" |\n|");
		for (int i = 0; i < this.header.size(); i++) {
			out.append((i == 0) ? " --- |" : " ---: |");
		}
		out.append('\n');
		for (List<String> row : this.rows) {
			out.append("| ").append(String.join(" | ", row)).append(" |\n");
		}
		return out.toString();
	}

}
