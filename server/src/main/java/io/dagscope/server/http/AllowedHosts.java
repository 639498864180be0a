package io.dagscope.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names a request may give in its {@code Host} header: the server's defence against DNS rebinding. A page on a
 * name its author controls can point that name at 127.0.0.1 and so read the server as its own origin, but the browser
 * still sends the page's name as {@code Host}; the server answers only names it is reachable as.
 *
 * <p>Always allowed: {@code localhost} and every name under {@code .localhost} (browsers resolve them to loopback
 * themselves, so no DNS answer can point them elsewhere) and IP literals ({@code 127.0.0.1}, {@code [::1]},
 * {@code 10.1.2.3}): an address is not looked up, so it cannot be rebound, and a page whose own origin is an address
 * is not another site's page. Besides those, the operator's names: an exact name, {@code .suffix} for a name and
 * every name under it, or {@code *} for any name (the check off). A port, if given, is ignored; a trailing dot is
 * ignored; case is ignored.
 */
final class AllowedHosts {

    private static final Pattern LABELS = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?"
            + "(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern PORT = Pattern.compile("(:[0-9]{0,5})?");

    private final boolean any;
    private final Set<String> names;
    private final List<String> suffixes;

    /**
     * @param configured the operator's names, each as {@link #normalize} accepts it
     * @throws IllegalArgumentException if one is not a host name, a {@code .suffix} or {@code *}
     */
    AllowedHosts(List<String> configured) {
        boolean star = false;
        Set<String> exact = new LinkedHashSet<>();
        List<String> under = new ArrayList<>();
        for (String c : configured) {
            String n = normalize(c);
            if (n.equals("*")) {
                star = true;
            } else if (n.startsWith(".")) {
                under.add(n);
            } else {
                exact.add(n);
            }
        }
        this.any = star;
        this.names = Set.copyOf(exact);
        this.suffixes = List.copyOf(under);
    }

    /**
     * Checks and normalises a name the operator gives.
     *
     * @param name a host name ({@code dagscope.example.com}), {@code .suffix} ({@code .example.com}: the name and
     *     every name under it) or {@code *}
     * @return the name in lower case without a trailing dot
     * @throws IllegalArgumentException saying what is wrong
     */
    static String normalize(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("*")) {
            return n;
        }
        boolean suffix = n.startsWith(".");
        String body = suffix ? n.substring(1) : n;
        if (body.endsWith(".")) {
            body = body.substring(0, body.length() - 1);
        }
        if (body.isEmpty() || body.length() > 253 || !LABELS.matcher(body).matches()) {
            throw new IllegalArgumentException("must be a host name such as dagscope.example.com, .example.com (the "
                    + "name and every name under it) or * (any name), without a scheme, port or path; got '" + name
                    + "'");
        }
        return suffix ? "." + body : body;
    }

    /**
     * Whether a request naming this host is answered.
     *
     * @param host the {@code Host} header's value ({@code name[:port]}, {@code [v6][:port]}), or the host of an
     *     absolute request target
     * @return whether it is allowed
     */
    boolean allows(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String name;
        String port;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return false;
            }
            return PORT.matcher(host.substring(close + 1)).matches() && validPort(host.substring(close + 1))
                    && isIpv6(host.substring(1, close));
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            name = host.substring(0, colon);
            port = host.substring(colon);
        } else {
            name = host;
            port = "";
        }
        if (!PORT.matcher(port).matches() || !validPort(port)) {
            return false;
        }
        name = name.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (IPV4.matcher(name).matches()) {
            return true;
        }
        if (name.isEmpty() || !LABELS.matcher(name).matches()) {
            return false;
        }
        if (name.equals("localhost") || name.endsWith(".localhost") || any || names.contains(name)) {
            return true;
        }
        for (String suffix : suffixes) {
            if (name.endsWith(suffix) || name.equals(suffix.substring(1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean validPort(String port) {
        return port.length() <= 1 || Integer.parseInt(port.substring(1)) <= 65_535;
    }

    private static boolean isIpv6(String literal) {
        if (!literal.contains(":") || !IPV6_CHARS.matcher(literal).matches()) {
            return false;
        }
        try {
            InetAddress.getByName("[" + literal + "]"); // a bracketed literal is parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
