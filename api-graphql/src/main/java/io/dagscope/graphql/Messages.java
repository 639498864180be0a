package io.dagscope.graphql;

import graphql.language.AstPrinter;
import graphql.language.Value;
import java.math.BigDecimal;

/** Renders client values in error messages: quoted, cut short, never a Java object dump. */
final class Messages {

    private static final int MAX_SHOWN = 80;

    private Messages() {
    }

    /**
     * A client value as an error message shows it.
     *
     * @param value a string, number or other value the client sent
     * @return {@code 'text'} for a string, the number for a number, else the kind of value
     */
    static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence text) {
            return "'" + cut(text.toString()) + "'";
        }
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        if (value instanceof Number || value instanceof Boolean) {
            return cut(value.toString());
        }
        if (value instanceof Literal literal) {
            return literal.text();
        }
        return "of type " + value.getClass().getSimpleName();
    }

    /**
     * A number without a needless {@code .0} or exponent, e.g. {@code -1} or {@code 1000000000}.
     *
     * @param value the number
     * @return its text
     */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        return cut(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
    }

    /**
     * A literal from the query document, for a message.
     *
     * @param value the literal
     * @return it, printed as GraphQL
     */
    static Literal literal(Value<?> value) {
        return new Literal(cut(AstPrinter.printAst(value)));
    }

    private static String cut(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }

    /** A literal already printed as GraphQL. */
    record Literal(String text) {
    }
}
