package dev.stevedore.control.logs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque nextToken of the Logs listings: where the previous page stopped, marked with what it lists
 * so that a token of one listing is refused by another.
 */
final class PageToken {
    private PageToken() {
    }

    static String after(String listing, String position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((listing + "\n" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token of {@code listing} stands for. */
    static String position(String listing, String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(listing + "\n")) {
                return text.substring(listing.length() + 1);
            }
        } catch (IllegalArgumentException e) {
            // not one of ours: refused below
        }
        throw LogsErrors.invalidNextToken();
    }
}
