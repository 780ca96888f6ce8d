package io.keepsake.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.KeyDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.ser.impl.UnknownSerializer;
import com.fasterxml.jackson.databind.ser.std.NullSerializer;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.keepsake.format.TypeRegistry;
import java.io.IOException;
import java.lang.reflect.Modifier;

/**
 * The Jackson module that enforces the allow-list: whenever Jackson needs a serializer or deserializer for an
 * application class (a bean, record or enum not from the JDK) that is not in the {@link TypeRegistry}, it gets one
 * that fails with a message naming the class. And only registered classes are ever written or built property by
 * property as beans: a JDK class Jackson has no dedicated handling for (a {@code Thread}, a bare {@code Object}) is
 * refused too, instead of being written lossily. So nothing unregistered is ever written or instantiated, however
 * deeply it is nested.
 */
final class RegistryGuard extends SimpleModule {
    private static final long serialVersionUID = 1L;
    private final transient TypeRegistry registry;
    private final transient RegistrationAdvice advice;
    // Set only in a probe: where each refused class is noted instead of failing. One probe runs on one thread.
    private final transient java.util.Set<Class<?>> found;

    /** A guard that refuses unregistered classes, saying how to register them as {@code advice} puts it. */
    RegistryGuard(TypeRegistry registry, RegistrationAdvice advice) {
        super("keepsake-registry-guard");
        this.registry = registry;
        this.advice = advice;
        this.found = null;
    }

    /**
     * A probe for writing only: each class the guard would refuse is added to {@code found}, and writing goes on
     * (into the refused value's fields too, so nested classes are found as well). A JDK class that is not a
     * supported value is noted and written as null rather than walked.
     */
    RegistryGuard(TypeRegistry registry, java.util.Set<Class<?>> found) {
        super("keepsake-registry-probe");
        this.registry = registry;
        this.advice = RegistrationAdvice.TYPE_REGISTRY;
        this.found = found;
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addSerializers(new Serializers.Base() {
            @Override
            public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type,
                                                    BeanDescription beanDesc) {
                String why = refusal(type.getRawClass());
                if (why != null && found != null) {
                    note(type.getRawClass());
                    return null; // let Jackson write it, so that what it holds is probed too
                }
                return why == null ? null : new Refusing(type.getRawClass(), why);
            }
        });
        context.addDeserializers(new Deserializers.Base() {
            @Override
            public JsonDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config,
                                                            BeanDescription beanDesc) {
                String why = refusal(type.getRawClass());
                return why == null ? null : new RefusingDeserializer(type.getRawClass(), why);
            }

            @Override
            public JsonDeserializer<?> findEnumDeserializer(Class<?> type, DeserializationConfig config,
                                                            BeanDescription beanDesc) {
                String why = refusal(type);
                return why == null ? null : new RefusingDeserializer(type, why);
            }
        });
        context.addBeanSerializerModifier(new BeanSerializerModifier() {
            private static final long serialVersionUID = 1L;

            @Override
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription beanDesc,
                                                      JsonSerializer<?> serializer) {
                Class<?> type = SmileCodec.normalize(beanDesc.getBeanClass());
                boolean asBean = serializer instanceof BeanSerializerBase || serializer instanceof UnknownSerializer;
                if (!asBean || registry.isRegistered(type)) {
                    return serializer;
                }
                if (found != null) {
                    if (!JdkTypes.isJdk(type)) {
                        return serializer; // noted when its serializer was looked for; walk into it
                    }
                    note(type);
                    return NullSerializer.instance; // a Thread or an Object: do not walk the JDK's insides
                }
                return new Refusing(type, beanRefusal(type));
            }
        });
        context.addBeanDeserializerModifier(new BeanDeserializerModifier() {
            private static final long serialVersionUID = 1L;

            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription beanDesc,
                                                          JsonDeserializer<?> deserializer) {
                Class<?> type = SmileCodec.normalize(beanDesc.getBeanClass());
                return deserializer instanceof BeanDeserializerBase && !registry.isRegistered(type)
                        ? new RefusingDeserializer(type, beanRefusal(type)) : deserializer;
            }
        });
        context.addKeySerializers(new Serializers.Base() {
            @Override
            public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type,
                                                    BeanDescription beanDesc) {
                String why = refusal(type.getRawClass());
                if (why != null && found != null) {
                    note(type.getRawClass());
                    return null;
                }
                return why == null ? null : new Refusing(type.getRawClass(), "map key " + why);
            }
        });
        context.addKeyDeserializers(new KeyDeserializers() {
            @Override
            public KeyDeserializer findKeyDeserializer(JavaType type, DeserializationConfig config,
                                                       BeanDescription beanDesc) {
                String why = refusal(type.getRawClass());
                return why == null ? null : new RefusingKeyDeserializer("map key " + why);
            }
        });
    }

    /** @return why {@code raw} may not be encoded or decoded, or null if it may */
    private String refusal(Class<?> raw) {
        Class<?> type = SmileCodec.normalize(raw);
        if (JdkTypes.isJdk(type) || registry.isRegistered(type)) {
            return null;
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            return type.getName() + " is abstract; nested values need a concrete registered type";
        }
        return type.getName() + " is not registered; " + advice.register(type);
    }

    /** Notes a refused class in a probe; an abstract type is left to the concrete classes of its values. */
    private void note(Class<?> raw) {
        Class<?> type = SmileCodec.normalize(raw);
        if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers()) || type.isEnum()) {
            found.add(type);
        }
    }

    private static String beanRefusal(Class<?> type) {
        return type.getName() + " is neither registered nor a supported JDK value (String, numbers, byte[], "
                + "java.time, UUID, Optional, collections); register it or use a supported type";
    }

    /** Fails when asked to write a value of an unregistered type. */
    private static final class Refusing extends StdSerializer<Object> {
        private static final long serialVersionUID = 1L;
        private final String why;

        Refusing(Class<?> type, String why) {
            super(type, false);
            this.why = why;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            provider.reportBadDefinition(handledType(), why);
        }
    }

    /** Fails when asked to build a map key of an unregistered type. */
    private static final class RefusingKeyDeserializer extends KeyDeserializer {
        private final String why;

        RefusingKeyDeserializer(String why) {
            this.why = why;
        }

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            return ctxt.reportBadDefinition(ctxt.constructType(Object.class), why);
        }
    }

    /** Fails when asked to build a value of an unregistered type. */
    private static final class RefusingDeserializer extends StdDeserializer<Object> {
        private static final long serialVersionUID = 1L;
        private final String why;

        RefusingDeserializer(Class<?> type, String why) {
            super(type);
            this.why = why;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return ctxt.reportBadDefinition(ctxt.constructType(handledType()), why);
        }
    }
}
