package dev.stevedore.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/** An IPv4 or IPv6 CIDR block ({@code 203.0.113.0/24}, {@code 2001:db8::/32}); a bare address is its own /32 or /128. */
final class IpRange {
    private final byte[] network;
    private final int prefix;

    private IpRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    static Optional<IpRange> parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        Optional<byte[]> address = address(slash < 0 ? s : s.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = address.get();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new IpRange(bytes, prefix));
    }

    boolean contains(String addressText) {
        Optional<byte[]> parsed = address(addressText.trim());
        if (parsed.isEmpty() || parsed.get().length != network.length) {
            return false;
        }
        byte[] a = parsed.get();
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    /**
     * Reads an address literal without ever resolving a name: IPv4 strictly as four decimal octets,
     * IPv6 (only hex digits, colons and dots) through the JDK's literal parser.
     */
    static Optional<byte[]> address(String s) {
        if (s.indexOf(':') >= 0) {
            if (s.isEmpty() || s.length() > 45 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return Optional.empty();
            }
            try {
                // The JDK turns an IPv4-mapped literal (::ffff:a.b.c.d) into the IPv4 address it maps.
                return Optional.of(InetAddress.getByName(s).getAddress());
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            out[i] = (byte) v;
        }
        return Optional.of(out);
    }

    @Override
    public String toString() {
        return Arrays.toString(network) + "/" + prefix;
    }
}
