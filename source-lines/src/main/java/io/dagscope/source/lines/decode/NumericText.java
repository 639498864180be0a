package io.dagscope.source.lines.decode;

/** Numbers written as JSON strings ({@code "3"}, {@code " 3.0 "}, {@code "1.5e2"}), read leniently. */
final class NumericText {

    private NumericText() {
    }

    /**
     * An integral number from text: digits with an optional sign, or a decimal with an integral value, of any size.
     *
     * @return the value (never -0.0), or NaN if the text is not such a number
     */
    static double parseIntegral(char[] b, int off, int len) {
        Double d = parseDecimal(b, off, len);
        return d == null ? Double.NaN : integral(d);
    }

    /**
     * A finite decimal from text in JSON's number syntax (surrounding whitespace allowed).
     *
     * @return the value, or null if the text is not a finite number
     */
    static Double parseDecimal(char[] b, int off, int len) {
        int start = skipSpace(b, off, off + len);
        int end = trimSpace(b, start, off + len);
        if (start == end) {
            return null;
        }
        boolean digit = false;
        for (int i = start; i < end; i++) {
            char c = b[i];
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return null; // keeps Java's own extras out: "NaN", "1d", "0x1p3"
            }
        }
        if (!digit) {
            return null;
        }
        try {
            double d = Double.parseDouble(new String(b, start, end - start));
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @return the double if it is finite and integral (-0.0 as 0.0), else NaN
     */
    static double integral(double d) {
        return Double.isFinite(d) && d == Math.rint(d) ? d + 0.0 : Double.NaN;
    }

    private static int skipSpace(char[] b, int i, int end) {
        while (i < end && Character.isWhitespace(b[i])) {
            i++;
        }
        return i;
    }

    private static int trimSpace(char[] b, int start, int end) {
        while (end > start && Character.isWhitespace(b[end - 1])) {
            end--;
        }
        return end;
    }
}
