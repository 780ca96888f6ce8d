package io.keepsake.internal.format;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;

/**
 * Jackson's annotation reading, except that a {@code @JsonTypeInfo} whose type ids are class names (or custom) is
 * an error on encode and decode alike: class names in data are how deserialization gadgets get in. Name-based
 * polymorphism ({@code Id.NAME} with {@code @JsonSubTypes}) stays allowed; its subtypes must still be registered.
 */
final class NoClassNameTypeIds extends JacksonAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    @Override
    public JsonTypeInfo.Value findPolymorphicTypeInfo(MapperConfig<?> config, Annotated ann) {
        JsonTypeInfo.Value info = super.findPolymorphicTypeInfo(config, ann);
        if (info != null) {
            JsonTypeInfo.Id id = info.getIdType();
            if (id == JsonTypeInfo.Id.CLASS || id == JsonTypeInfo.Id.MINIMAL_CLASS || id == JsonTypeInfo.Id.CUSTOM) {
                throw new IllegalArgumentException("@JsonTypeInfo(use = " + id + ") on " + ann.getName()
                        + " is not allowed: Keepsake never writes or reads class names; use Id.NAME with "
                        + "@JsonSubTypes of registered types");
            }
        }
        return info;
    }
}
