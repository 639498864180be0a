package io.dagscope.source.lines.decode;

import java.nio.charset.StandardCharsets;

/**
 * Reads a plain JSON number ({@code -?digits(.digits)?}, no exponent) from ASCII bytes as the nearest double, the
 * same value {@link Double#parseDouble} gives. Numbers with at most 15 significant digits and at most 22 decimals
 * are exact in a double's mantissa and are divided by an exact power of ten, which is correctly rounded (Clinger's
 * fast path); anything else goes to {@link Double#parseDouble}.
 */
final class Decimals {

    private static final double[] POWERS = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = p;
            p *= 10;
        }
    }

    private Decimals() {
    }

    static double parse(byte[] b, int s, int e) {
        int i = s;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int significant = 0;
        int decimals = 0;
        boolean fraction = false;
        for (; i < e; i++) {
            byte c = b[i];
            if (c == '.') {
                fraction = true;
                continue;
            }
            if (mantissa != 0 || c != '0') {
                significant++;
            }
            mantissa = mantissa * 10 + (c - '0');
            if (fraction) {
                decimals++;
            }
            if (significant > 15) {
                return Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            }
        }
        if (decimals >= POWERS.length) {
            return Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
        }
        double v = mantissa / POWERS[decimals];
        return negative ? -v : v;
    }
}
