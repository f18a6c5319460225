package dev.stevedore.control.ssm;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing ordered by a text position: the items after the token's position, and a token
 * for the rest when more remain.
 *
 * @param nextToken null when this is the last page (absent on the wire)
 */
record Page<T>(List<T> items, String nextToken) {

    static <T> Page<T> of(List<T> ordered, Function<T, String> position, String token, int size) {
        String after = PageToken.position(token);
        List<T> rest = ordered.stream().filter(t -> after.isEmpty() || position.apply(t).compareTo(after) > 0).toList();
        if (rest.size() <= size) {
            return new Page<>(rest, null);
        }
        List<T> items = rest.subList(0, size);
        return new Page<>(items, PageToken.after(position.apply(items.getLast())));
    }
}
