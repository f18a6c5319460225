package dev.stevedore.control.ssm;

import dev.stevedore.model.ssm.Parameter;
import dev.stevedore.model.ssm.ParameterHistory;
import dev.stevedore.model.ssm.ParameterMetadata;

import java.util.List;

/** Renders stored parameters in the wire shapes, values opened only when the caller asked to decrypt. */
final class ParameterViews {
    /** The AWS managed key SSM names for SecureStrings put without a KeyId. */
    static final String DEFAULT_KEY_ID = "alias/aws/ssm";

    private final SecureValues secure;

    ParameterViews(SecureValues secure) {
        this.secure = secure;
    }

    Parameter parameter(SsmScope scope, StoredParameter p, StoredParameter.Version v, String selector, boolean decrypt) {
        String arn = new ParameterName(p.name()).arn(scope);
        return Parameter.builder()
                .name(p.name())
                .type(v.type())
                .value(secure.forCaller(v.type(), v.value(), arn, v.version(), decrypt))
                .version(v.version())
                .selector(selector.isEmpty() ? null : selector)
                .lastModifiedDate(v.lastModified())
                .arn(arn)
                .dataType(p.dataType())
                .build();
    }

    ParameterHistory history(SsmScope scope, StoredParameter p, StoredParameter.Version v, boolean decrypt) {
        String arn = new ParameterName(p.name()).arn(scope);
        return ParameterHistory.builder()
                .name(p.name())
                .type(v.type())
                .keyId(keyId(v.type()))
                .lastModifiedDate(v.lastModified())
                .lastModifiedUser(v.lastModifiedUser())
                .description(orAbsent(v.description()))
                .value(secure.forCaller(v.type(), v.value(), arn, v.version(), decrypt))
                .allowedPattern(orAbsent(v.allowedPattern()))
                .version(v.version())
                .labels(List.of())
                .tier(p.tier())
                .policies(List.of())
                .dataType(p.dataType())
                .build();
    }

    ParameterMetadata metadata(SsmScope scope, StoredParameter p) {
        StoredParameter.Version v = p.latest();
        return ParameterMetadata.builder()
                .name(p.name())
                .arn(new ParameterName(p.name()).arn(scope))
                .type(v.type())
                .keyId(keyId(v.type()))
                .lastModifiedDate(v.lastModified())
                .lastModifiedUser(v.lastModifiedUser())
                .description(orAbsent(v.description()))
                .allowedPattern(orAbsent(v.allowedPattern()))
                .version(v.version())
                .tier(p.tier())
                .policies(List.of())
                .dataType(p.dataType())
                .build();
    }

    private static String keyId(String type) {
        return SecureValues.SECURE_STRING.equals(type) ? DEFAULT_KEY_ID : null;
    }

    private static String orAbsent(String text) {
        return text.isEmpty() ? null : text;
    }
}
