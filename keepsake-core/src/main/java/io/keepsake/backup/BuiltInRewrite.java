package io.keepsake.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The rewrites {@link FieldRewrite} offers by name. Unlike a user's function, each has a stable description
 * ({@link #toString}), so a rerun of a filtered restore can tell whether it was asked for the same rewrites.
 *
 * @param kind     "null", "constant" or "sha256"
 * @param constant the value for "constant", else null
 */
record BuiltInRewrite(String kind, JsonNode constant) implements FieldRewrite {
    @Override
    public JsonNode rewrite(JsonNode value) {
        return switch (kind) {
            case "null" -> NullNode.getInstance();
            case "constant" -> constant;
            default -> value.isNull() ? value : TextNode.valueOf(sha256(value));
        };
    }

    private static String sha256(JsonNode value) {
        try {
            byte[] bytes = value.isBinary() ? value.binaryValue()
                    : (value.isTextual() ? value.textValue() : value.toString()).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a " + value.getNodeType() + " value", e);
        }
    }

    /** @return the description recorded with a filtered restore's mapping */
    static String describe(FieldRewrite rewrite) {
        return rewrite instanceof BuiltInRewrite b ? b.toString() : "function";
    }

    @Override
    public String toString() {
        return kind.equals("constant") ? "constant:" + constant : kind;
    }
}
