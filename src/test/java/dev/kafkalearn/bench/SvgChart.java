package dev.kafkalearn.bench;

import java.util.List;
import java.util.Locale;

/**
 * The rate rows as an SVG bar chart: one bar per row at its median records/s, a whisker from its min to its max over
 * the measured rounds, the median printed beside it. Plain SVG 1.1, no script, so GitHub shows it in the README.
 */
final class SvgChart {

    private static final int LABEL = 250;
    private static final int PLOT = 430;
    private static final int ROW = 26;
    private static final int TOP = 40;

    private SvgChart() {
    }

    static String of(List<Benchmark.Row> rows, String title) {
        List<Benchmark.Row> rates = rows.stream().filter(r -> r.unit() == Benchmark.Unit.RATE).toList();
        double top = rates.stream().mapToDouble(r -> Double.isNaN(r.max()) ? 0 : r.max()).max().orElse(1);
        double scale = PLOT / Math.max(1, top * 1.05);
        int width = LABEL + PLOT + 90;
        int height = TOP + rates.size() * ROW + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        for (int i = 0; i < rates.size(); i++) {
            Benchmark.Row row = rates.get(i);
            int y = TOP + i * ROW;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL - 8, y + 15, escape(row.name())));
            if (!row.ok()) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#b00\">failed</text>%n",
                        LABEL + 4, y + 15));
                continue;
            }
            String colour = row.id().startsWith("pipeline") ? "#1f77b4" : row.id().startsWith("raw") ? "#9a9a9a"
                    : "#ff7f0e";
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>%n",
                    LABEL, y + 3, row.median() * scale, colour));
            double from = LABEL + row.min() * scale;
            double to = LABEL + row.max() * scale;
            svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %d H%.1f M%.1f %d V%d M%.1f %d V%d\" "
                    + "stroke=\"black\" stroke-width=\"1.2\"/>%n", from, y + 11, to, from, y + 6, y + 16, to, y + 6, y + 16));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", Math.max(to,
                    LABEL + row.median() * scale) + 6, y + 15, String.format(Locale.ROOT, "%,.0f", row.median())));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">records/s: median bar, min–max "
                + "whisker over the measured rounds; blue = pipeline, grey = raw clients, orange = others</text>%n",
                8, height - 10));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
