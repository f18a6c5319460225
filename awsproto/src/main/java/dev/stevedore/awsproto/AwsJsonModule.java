package dev.stevedore.awsproto;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.std.ReferenceTypeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.ser.std.ReferenceTypeSerializer;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.databind.type.ReferenceType;
import com.fasterxml.jackson.databind.type.TypeBindings;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.type.TypeModifier;
import com.fasterxml.jackson.databind.util.NameTransformer;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;

/**
 * Jackson support for {@link Instant} as AWS epoch-seconds numbers and for {@link Optional}.
 *
 * <p>Written here because the jsr310 and jdk8 Jackson modules matching our databind version are not
 * available to the offline build; the Optional part follows databind's own reference-type API so
 * that {@code NON_ABSENT} inclusion drops empty optionals exactly as the jdk8 module would.
 */
@SuppressWarnings("serial") // Jackson's base classes are Serializable; these are never serialized
final class AwsJsonModule extends SimpleModule {

    AwsJsonModule() {
        super("stevedore-aws-json");
        addSerializer(Instant.class, new EpochSecondsSerializer());
        addDeserializer(Instant.class, new EpochSecondsDeserializer());
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addTypeModifier(new OptionalTypeModifier());
        context.addSerializers(new Serializers.Base() {
            @Override
            public JsonSerializer<?> findReferenceSerializer(SerializationConfig config, ReferenceType type,
                    BeanDescription beanDesc, TypeSerializer contentTypeSerializer,
                    JsonSerializer<Object> contentValueSerializer) {
                if (type.hasRawClass(Optional.class)) {
                    boolean staticTyping = contentTypeSerializer == null
                            && config.isEnabled(com.fasterxml.jackson.databind.MapperFeature.USE_STATIC_TYPING);
                    return new OptionalSerializer(type, staticTyping, contentTypeSerializer, contentValueSerializer);
                }
                return null;
            }
        });
        context.addDeserializers(new Deserializers.Base() {
            @Override
            public JsonDeserializer<?> findReferenceDeserializer(ReferenceType type, DeserializationConfig config,
                    BeanDescription beanDesc, TypeDeserializer contentTypeDeserializer,
                    JsonDeserializer<?> contentDeserializer) {
                if (type.hasRawClass(Optional.class)) {
                    return new OptionalDeserializer(type, contentTypeDeserializer, contentDeserializer);
                }
                return null;
            }
        });
    }

    /** Makes databind see {@code Optional<T>} as a reference type holding a {@code T}. */
    private static final class OptionalTypeModifier extends TypeModifier {
        @Override
        public JavaType modifyType(JavaType type, Type jdkType, TypeBindings bindings, TypeFactory typeFactory) {
            if (type.isReferenceType() || type.isContainerType() || type.getRawClass() != Optional.class) {
                return type;
            }
            return ReferenceType.upgradeFrom(type, type.containedTypeOrUnknown(0));
        }
    }

    private static final class OptionalSerializer extends ReferenceTypeSerializer<Optional<?>> {

        OptionalSerializer(ReferenceType type, boolean staticTyping, TypeSerializer vts, JsonSerializer<Object> ser) {
            super(type, staticTyping, vts, ser);
        }

        private OptionalSerializer(OptionalSerializer base, BeanProperty property, TypeSerializer vts,
                                   JsonSerializer<?> valueSer, NameTransformer unwrapper,
                                   Object suppressableValue, boolean suppressNulls) {
            super(base, property, vts, valueSer, unwrapper, suppressableValue, suppressNulls);
        }

        @Override
        protected ReferenceTypeSerializer<Optional<?>> withResolved(BeanProperty prop, TypeSerializer vts,
                JsonSerializer<?> valueSer, NameTransformer unwrapper) {
            return new OptionalSerializer(this, prop, vts, valueSer, unwrapper, _suppressableValue, _suppressNulls);
        }

        @Override
        public ReferenceTypeSerializer<Optional<?>> withContentInclusion(Object suppressableValue,
                                                                         boolean suppressNulls) {
            return new OptionalSerializer(this, _property, _valueTypeSerializer, _valueSerializer, _unwrapper,
                    suppressableValue, suppressNulls);
        }

        @Override
        protected boolean _isValuePresent(Optional<?> value) {
            return value.isPresent();
        }

        @Override
        protected Object _getReferenced(Optional<?> value) {
            return value.get();
        }

        @Override
        protected Object _getReferencedIfPresent(Optional<?> value) {
            return value.orElse(null);
        }
    }

    private static final class OptionalDeserializer extends ReferenceTypeDeserializer<Optional<?>> {

        OptionalDeserializer(JavaType fullType, TypeDeserializer typeDeser, JsonDeserializer<?> deser) {
            super(fullType, null, typeDeser, deser);
        }

        @Override
        protected ReferenceTypeDeserializer<Optional<?>> withResolved(TypeDeserializer typeDeser,
                                                                      JsonDeserializer<?> valueDeser) {
            return new OptionalDeserializer(_fullType, typeDeser, valueDeser);
        }

        @Override
        public Optional<?> getNullValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public Optional<?> referenceValue(Object contents) {
            return Optional.ofNullable(contents);
        }

        @Override
        public Optional<?> updateReference(Optional<?> reference, Object contents) {
            return Optional.ofNullable(contents);
        }

        @Override
        public Object getReferenced(Optional<?> reference) {
            return reference.orElse(null);
        }
    }

    /** Writes an instant as epoch seconds with at most millisecond precision. */
    private static final class EpochSecondsSerializer extends StdScalarSerializer<Instant> {
        EpochSecondsSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeNumber(epochSeconds(value));
        }
    }

    /** The AWS JSON form of an instant: a whole number when it falls on a second, else millisecond fraction. */
    static BigDecimal epochSeconds(Instant value) {
        long millis = Math.floorMod(value.getNano() / 1_000_000, 1000);
        if (millis == 0) {
            return BigDecimal.valueOf(value.getEpochSecond());
        }
        BigInteger unscaled = BigInteger.valueOf(value.getEpochSecond()).multiply(BigInteger.valueOf(1000))
                .add(BigInteger.valueOf(millis));
        // stripTrailingZeros keeps a positive scale here because millis is non-zero, so no exponent form.
        return new BigDecimal(unscaled, 3).stripTrailingZeros();
    }

    private static final class EpochSecondsDeserializer extends StdScalarDeserializer<Instant> {
        EpochSecondsDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            try {
                if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                    return fromEpochSeconds(p.getDecimalValue());
                }
                if (token == JsonToken.VALUE_STRING) {
                    String text = p.getText().trim();
                    return text.contains("T") ? Instant.parse(text) : fromEpochSeconds(new BigDecimal(text));
                }
            } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, p.getText(),
                        "not epoch seconds or an ISO-8601 instant");
            }
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
    }

    static Instant fromEpochSeconds(BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, java.math.RoundingMode.FLOOR);
        long nanos = seconds.subtract(whole).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }
}
