package dev.redlock.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import dev.redlock.benchmarks.measure.Spread;

/**
 * A grouped bar chart on a logarithmic axis, drawn with Java2D: one group per contender, one
 * bar per series, a whisker from the slowest to the fastest run, and an optional reference
 * line. Logarithmic, because the contenders span three orders of magnitude and a linear axis
 * would flatten the ones that matter.
 */
final class BarChart {

	private static final Color[] PALETTE = { new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
			new Color(0x9467bd) };

	private static final int WIDTH = 1100;

	private static final int HEIGHT = 560;

	private static final int LEFT = 90;

	private static final int RIGHT = 30;

	private static final int TOP = 70;

	private static final int BOTTOM = 110;

	private final String title;

	private final String axisLabel;

	private final List<String> series;

	private final List<String> groups = new ArrayList<>();

	private final List<Spread[]> values = new ArrayList<>();

	private String referenceLabel;

	private double referenceValue;

	BarChart(String title, String axisLabel, List<String> series) {
		this.title = title;
		this.axisLabel = axisLabel;
		this.series = series;
	}

	/** A group of bars, one value per series; {@code null} for a series the group lacks. */
	BarChart group(String label, Spread... values) {
		this.groups.add(label);
		this.values.add(values);
		return this;
	}

	BarChart reference(String label, double value) {
		this.referenceLabel = label;
		this.referenceValue = value;
		return this;
	}

	void write(Path file) throws IOException {
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			draw(g);
		}
		finally {
			g.dispose();
		}
		ImageIO.write(image, "png", file.toFile());
	}

	private void draw(Graphics2D g) {
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, WIDTH, HEIGHT);
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
		g.drawString(this.title, LEFT, 32);
		double[] range = decades();
		drawAxis(g, range);
		drawBars(g, range);
		drawLegend(g);
	}

	/** Whole decades around every value, so the axis reads 1, 10, 100 ... */
	private double[] decades() {
		double min = Double.MAX_VALUE;
		double max = 0;
		for (Spread[] group : this.values) {
			for (Spread value : group) {
				if (value != null && value.median() > 0) {
					min = Math.min(min, value.min() > 0 ? value.min() : value.median());
					max = Math.max(max, value.max());
				}
			}
		}
		if (this.referenceLabel != null && this.referenceValue > 0) {
			min = Math.min(min, this.referenceValue);
			max = Math.max(max, this.referenceValue);
		}
		if (max == 0) {
			return new double[] { 0, 1 };
		}
		return new double[] { Math.floor(Math.log10(min)), Math.ceil(Math.log10(max) + 0.05) };
	}

	private int y(double value, double[] range) {
		double log = Math.log10(Math.max(value, Math.pow(10, range[0])));
		double share = (log - range[0]) / (range[1] - range[0]);
		return (int) Math.round(HEIGHT - BOTTOM - share * (HEIGHT - TOP - BOTTOM));
	}

	private void drawAxis(Graphics2D g, double[] range) {
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		FontMetrics metrics = g.getFontMetrics();
		for (int decade = (int) range[0]; decade <= (int) range[1]; decade++) {
			for (int step = 1; step < 10; step++) {
				double value = step * Math.pow(10, decade);
				if (Math.log10(value) > range[1] + 1e-9) {
					break;
				}
				int y = y(value, range);
				g.setColor(step == 1 ? new Color(0xcccccc) : new Color(0xeeeeee));
				g.drawLine(LEFT, y, WIDTH - RIGHT, y);
				if (step == 1 || step == 2 || step == 5) {
					String label = format(value);
					g.setColor(Color.DARK_GRAY);
					g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + 4);
				}
			}
		}
		g.setColor(Color.BLACK);
		g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
		g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
		Graphics2D rotated = (Graphics2D) g.create();
		rotated.rotate(-Math.PI / 2);
		rotated.drawString(this.axisLabel + " (log scale)", -(HEIGHT - BOTTOM) + 10, 22);
		rotated.dispose();
	}

	private void drawBars(Graphics2D g, double[] range) {
		int plotWidth = WIDTH - LEFT - RIGHT;
		int groupWidth = plotWidth / Math.max(1, this.groups.size());
		int barWidth = Math.max(4, (int) (groupWidth * 0.8 / this.series.size()));
		FontMetrics metrics = g.getFontMetrics();
		int base = HEIGHT - BOTTOM;
		for (int i = 0; i < this.groups.size(); i++) {
			int groupLeft = LEFT + i * groupWidth + (int) (groupWidth * 0.1);
			Spread[] group = this.values.get(i);
			for (int s = 0; s < this.series.size(); s++) {
				Spread value = (s < group.length) ? group[s] : null;
				if (value == null || value.median() <= 0) {
					continue;
				}
				int x = groupLeft + s * barWidth;
				int top = y(value.median(), range);
				g.setColor(PALETTE[s % PALETTE.length]);
				g.fillRect(x, top, barWidth - 2, base - top);
				g.setColor(Color.BLACK);
				int whiskerX = x + (barWidth - 2) / 2;
				g.drawLine(whiskerX, y(value.max(), range), whiskerX, y(value.min(), range));
				g.drawLine(whiskerX - 3, y(value.max(), range), whiskerX + 3, y(value.max(), range));
				g.drawLine(whiskerX - 3, y(value.min(), range), whiskerX + 3, y(value.min(), range));
			}
			g.setColor(Color.BLACK);
			String[] lines = this.groups.get(i).split("\n");
			for (int line = 0; line < lines.length; line++) {
				int width = metrics.stringWidth(lines[line]);
				g.drawString(lines[line], LEFT + i * groupWidth + (groupWidth - width) / 2, base + 18 + line * 15);
			}
		}
		if (this.referenceLabel != null && this.referenceValue > 0) {
			int y = y(this.referenceValue, range);
			g.setColor(new Color(0xd62728));
			g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] { 6, 4 }, 0));
			g.drawLine(LEFT, y, WIDTH - RIGHT, y);
			g.setStroke(new BasicStroke());
			g.drawString(this.referenceLabel, WIDTH - RIGHT - metrics.stringWidth(this.referenceLabel) - 4, y - 4);
		}
	}

	private void drawLegend(Graphics2D g) {
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		FontMetrics metrics = g.getFontMetrics();
		int x = LEFT;
		int y = HEIGHT - 28;
		for (int s = 0; s < this.series.size(); s++) {
			g.setColor(PALETTE[s % PALETTE.length]);
			g.fillRect(x, y - 11, 14, 14);
			g.setColor(Color.BLACK);
			g.drawString(this.series.get(s), x + 20, y);
			x += 20 + metrics.stringWidth(this.series.get(s)) + 30;
		}
		g.setColor(Color.DARK_GRAY);
		String note = "bars: median of runs; whiskers: min–max";
		g.drawString(note, WIDTH - RIGHT - metrics.stringWidth(note), y);
	}

	private static String format(double value) {
		if (value >= 1_000_000) {
			return trim(value / 1_000_000) + "M";
		}
		if (value >= 1_000) {
			return trim(value / 1_000) + "k";
		}
		return trim(value);
	}

	private static String trim(double value) {
		return (value == Math.rint(value)) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
	}

}
