package io.dagscope.source.jsonl.decode;

/** Numbers written as JSON strings ({@code "3"}, {@code " 3.0 "}, {@code "1.5e2"}), read leniently. */
final class NumericText {

    private NumericText() {
    }

    /**
     * An integer from text: optional sign and digits, or a decimal with an integral value in range.
     *
     * @return the value, or null if the text is not such a number
     */
    static Integer parseInteger(char[] b, int off, int len) {
        int start = skipSpace(b, off, off + len);
        int end = trimSpace(b, start, off + len);
        int i = start;
        boolean negative = i < end && b[i] == '-';
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            i++;
        }
        int digitsStart = i;
        long value = 0;
        while (i < end && i - digitsStart < 11 && b[i] >= '0' && b[i] <= '9') {
            value = value * 10 + (b[i] - '0');
            i++;
        }
        if (i == end && i > digitsStart) {
            value = negative ? -value : value;
            return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (int) value : null;
        }
        Double d = parseDecimal(b, start, end - start);
        return d == null ? null : integral(d);
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
     * @return the double as an int if it is integral and in range, else null
     */
    static Integer integral(double d) {
        return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? (int) d : null;
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
