package io.keepsake.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Helpers for {@link StoreProvider}s: query parameters, and a form of a store URI that is safe to print. */
public final class StoreUri {
    /** Query parameters whose values are secrets: never printed. */
    private static final Set<String> SECRET_PARAMETERS =
            Set.of("password", "secret", "secretkey", "secretaccesskey", "token", "sessiontoken", "credential");

    private StoreUri() {
    }

    /**
     * Reads a store URI's parameters, for providers.
     *
     * @param uri a store URI
     * @return the query parameters of {@code uri}, decoded, in order; a parameter without {@code =} maps to ""
     * @throws IllegalArgumentException if a parameter is given twice
     */
    public static Map<String, String> query(URI uri) {
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (out.put(name, value) != null) {
                throw new IllegalArgumentException("parameter '" + name + "' given twice in " + redacted(uri));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Makes a URI safe to show: providers use it in every message that names the store.
     *
     * @param uri a store URI, possibly holding credentials
     * @return {@code uri} without its user info, and with the values of secret-looking query parameters
     *         (password, secret, token, ...) replaced by {@code ***}: fit for messages and logs
     */
    public static String redacted(URI uri) {
        if (uri.isOpaque()) {
            return uri.getScheme() + ":" + redactQuery(uri.getRawSchemeSpecificPart());
        }
        StringBuilder b = new StringBuilder();
        if (uri.getScheme() != null) {
            b.append(uri.getScheme()).append(':');
        }
        if (uri.getRawAuthority() != null) {
            b.append("//");
            if (uri.getHost() != null) {
                b.append(uri.getHost());
                if (uri.getPort() >= 0) {
                    b.append(':').append(uri.getPort());
                }
            } else {
                String authority = uri.getRawAuthority();
                b.append(authority.substring(authority.lastIndexOf('@') + 1));
            }
        }
        if (uri.getRawPath() != null) {
            b.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            b.append('?').append(redactQuery(uri.getRawQuery()));
        }
        return b.toString();
    }

    private static String redactQuery(String query) {
        StringBuilder b = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (!b.isEmpty()) {
                b.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String normal = decode(name).toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
            b.append(eq >= 0 && SECRET_PARAMETERS.contains(normal) ? name + "=***" : pair);
        }
        return b.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
