package dev.stevedore.control.ssm;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque NextToken of SSM's listings: where the previous page stopped, checked on the way back in. */
final class PageToken {
    private static final String MARK = "ssm-page:";

    private PageToken() {
    }

    static String after(String position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((MARK + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token stands for; "" for no token. */
    static String position(String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(MARK)) {
                return text.substring(MARK.length());
            }
        } catch (IllegalArgumentException e) {
            // falls through: not one of ours
        }
        throw SsmErrors.invalidNextToken();
    }
}
