package dev.stevedore.control.efs;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** EFS's ids ({@code fs-}, {@code fsmt-}, {@code fsap-} and 17 hex digits) and the ARNs that may stand for them. */
final class EfsIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FILE_SYSTEM_ARN =
            Pattern.compile("arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:file-system/(fs-[0-9a-f]{8,40})");
    private static final Pattern ACCESS_POINT_ARN =
            Pattern.compile("arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:access-point/(fsap-[0-9a-f]{8,40})");

    private EfsIds() {
    }

    static String newId(String prefix) {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return prefix + "-" + HexFormat.of().formatHex(bytes).substring(0, 17);
    }

    /** The file system id a FileSystemId member names: itself, or the id at the end of its ARN. */
    static String fileSystemId(String idOrArn) {
        return fromArn(FILE_SYSTEM_ARN, idOrArn).orElse(idOrArn);
    }

    static String accessPointId(String idOrArn) {
        return fromArn(ACCESS_POINT_ARN, idOrArn).orElse(idOrArn);
    }

    private static Optional<String> fromArn(Pattern arn, String value) {
        Matcher m = arn.matcher(value);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
