package io.keepsake.internal.format;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import com.fasterxml.jackson.dataformat.smile.SmileParser;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.keepsake.format.TypeRegistry;

/**
 * Builds the Jackson mappers behind {@link SmileCodec}. Every setting that shapes the bytes is pinned here, so a
 * Jackson upgrade cannot silently change the format (the golden-file tests check it).
 *
 * <p>Security: no default typing is ever activated, and the polymorphic type validator denies every class-name
 * type id, so even a {@code @JsonTypeInfo(use = CLASS)} annotation cannot make Jackson load a class named in the
 * data. Which classes may be built is decided only by the {@link RegistryGuard}.
 */
final class SmileMappers {
    private SmileMappers() {
    }

    static SmileFactory factory() {
        return SmileFactory.builder()
                .enable(SmileGenerator.Feature.WRITE_HEADER)
                .disable(SmileGenerator.Feature.WRITE_END_MARKER)
                .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT)
                .enable(SmileGenerator.Feature.CHECK_SHARED_NAMES)
                .disable(SmileGenerator.Feature.CHECK_SHARED_STRING_VALUES)
                .enable(SmileParser.Feature.REQUIRE_HEADER)
                // Inputs are whole in-memory arrays, so a string cannot outgrow its input; keep the number and
                // nesting limits, which guard CPU and stack against hostile bytes.
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNestingDepth(500)
                        .build())
                .build();
    }

    /** @return the mapper for application values, guarded by {@code registry} */
    static ObjectMapper values(TypeRegistry registry, RegistrationAdvice advice) {
        return values(new RegistryGuard(registry, advice));
    }

    /**
     * @return a mapper for writing only, like {@link #values}, that adds each class the registry would refuse to
     *         {@code found} instead of failing (see {@link SmileCodec#unregisteredTypesIn})
     */
    static ObjectMapper probe(TypeRegistry registry, java.util.Set<Class<?>> found) {
        return values(new RegistryGuard(registry, found));
    }

    private static ObjectMapper values(RegistryGuard guard) {
        return SmileMapper.builder(factory())
                .polymorphicTypeValidator(DENY_ALL)
                .annotationIntrospector(new NoClassNameTypeIds())
                .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(MapperFeature.USE_GETTERS_AS_SETTERS)
                .addModule(new Jdk8Module())
                .addModule(new TimeValues())
                .addModule(guard)
                .build();
    }

    /** @return a mapper that only builds {@code JsonNode} trees: it needs and loads no application class */
    static ObjectMapper trees() {
        return SmileMapper.builder(factory())
                .polymorphicTypeValidator(DENY_ALL)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    private static final PolymorphicTypeValidator DENY_ALL = new PolymorphicTypeValidator.Base() {
        private static final long serialVersionUID = 1L;

        @Override
        public Validity validateBaseType(MapperConfig<?> config, JavaType baseType) {
            return Validity.DENIED;
        }

        @Override
        public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
            return Validity.DENIED;
        }

        @Override
        public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
            return Validity.DENIED;
        }
    };
}
