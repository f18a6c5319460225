package dev.stevedore.agent.endpoint;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * Whether a request to the task endpoints comes from the host itself rather than from a container.
 * The host route rewrites only packets the host's own network namespace sends (the nat table's
 * OUTPUT chain), which keep a source address of one of the host's interfaces; containers on a
 * bridge have addresses of their own, and one that forged the bridge's gateway address could not
 * complete a TCP handshake, since the answer stays in the host.
 */
final class HostCallers {

    private HostCallers() {
    }

    static boolean isHost(String address) {
        try {
            InetAddress a = InetAddress.getByName(address);
            return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
