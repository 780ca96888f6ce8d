package io.keepsake.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Objects;

/**
 * What a filtered {@link Restore} puts in place of one named field of an event ({@link Restore#rewrite}), for
 * example to obfuscate personal data. It sees the field's value as the event's Smile body holds it, a Jackson tree,
 * and returns the new value; the event is then encoded and sealed again as the original was. The new value must
 * still decode into the field's Java type (a number field needs a number; {@code null} becomes 0 or false for a
 * primitive). A rewrite is called once per event holding the field, in sequence order, on the restore's thread.
 */
@FunctionalInterface
public interface FieldRewrite {

    /**
     * Computes a field's new value.
     *
     * @param value the field's value in the original event (never Java null; a JSON null is a {@code NullNode})
     * @return the value to store instead; Java null stores a JSON null
     */
    JsonNode rewrite(JsonNode value);

    /**
     * Replaces every value with null (0 or false for a primitive field).
     *
     * @return the rewrite
     */
    static FieldRewrite toNull() {
        return new BuiltInRewrite("null", null);
    }

    /**
     * Replaces every value with the same text.
     *
     * @param text the text to store
     * @return the rewrite
     */
    static FieldRewrite constant(String text) {
        return new BuiltInRewrite("constant", TextNode.valueOf(Objects.requireNonNull(text, "text")));
    }

    /**
     * Replaces every value with the same value.
     *
     * @param constant the value to store (copied)
     * @return the rewrite
     */
    static FieldRewrite constant(JsonNode constant) {
        return new BuiltInRewrite("constant", Objects.requireNonNull(constant, "constant").deepCopy());
    }

    /**
     * Replaces each value with the lowercase hex SHA-256 of it, so equal values stay equal (joins still work) but
     * the value cannot be read back. The hash is of a text's UTF-8 bytes, a binary value's bytes, or else the
     * value's JSON text; a null stays null. The result is text, so the field must be a text field.
     *
     * @return the rewrite
     */
    static FieldRewrite sha256() {
        return new BuiltInRewrite("sha256", null);
    }
}
