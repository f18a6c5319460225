package dev.stevedore.agent.endpoint;

import dev.stevedore.agent.engine.TaskRoutes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes tasks to the endpoint server with the host's netfilter, as the ECS agent does: a DNAT of
 * {@code 169.254.170.2:80} to {@code 127.0.0.1:port} in the {@code nat} table's PREROUTING chain,
 * with {@code route_localnet} set on the bridge the packets arrive on (the kernel otherwise drops
 * packets to the loopback network that come from outside), and a rule in INPUT that drops any
 * other packet from that bridge to the loopback network, which that setting would let through.
 *
 * <p>Several agents may share a host, each with its own endpoint port, so no rule is host-wide:
 * an {@code awsvpc} task's rule matches its address on its subnet's bridge, a bridge-mode
 * container's rule its MAC address on the default bridge (chosen by the agent and set when the
 * container is created, so the rule exists before the container's first instruction). Every rule
 * carries a comment naming the agent (its container instance id) and the task, so that an agent
 * removes its own stale rules on start and a task's rules when it stops, and never anyone else's.
 *
 * <p>Host network mode is not routed: its packets leave through the OUTPUT chain, where the only
 * possible rule would catch every process of the host, so with several agents on a host it would
 * send every host-mode task to one of them. Host-mode containers are not told the addresses, and a
 * host-mode task with a task role is not started.
 *
 * <p>The host's own Docker daemon is routed ({@link #routeHost}), for its awslogs driver to fetch a
 * task's execution-role credentials: one rule per agent in the nat table's OUTPUT chain (which only
 * the host's own network namespace passes through) for {@code 169.254.170.2:PORT}, PORT being this
 * agent's endpoint port, to {@code 127.0.0.1:PORT}. The port in the address is what keeps several
 * agents apart: the daemon is told {@code :PORT/v2/credentials/ID} and prefixes it with
 * {@code http://169.254.170.2}. Since containers keep the address they were created with, an agent
 * serving awslogs tasks must keep its port across restarts (the command line's default does).
 */
public final class IptablesRoutes implements TaskRoutes {

    static final String ENDPOINT_ADDRESS = "169.254.170.2";
    /** Docker's default bridge, where bridge-mode containers are. */
    static final String DEFAULT_BRIDGE = "docker0";

    private static final Logger log = LoggerFactory.getLogger(IptablesRoutes.class);
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    /**
     * The guard of a bridge is one rule for every agent on the host (the first one makes it), so
     * none of them removes it while another relies on it; guards of bridges that are gone are
     * removed on start.
     */
    static final String GUARD = "stevedore:localnet-guard";

    private final String agentTag;
    private final int port;
    private final Set<String> guarded = new HashSet<>();

    private IptablesRoutes(String agentTag, int port) {
        this.agentTag = agentTag;
        this.port = port;
    }

    /**
     * Routes for the agent of {@code containerInstanceArn} to the endpoint server on {@code port}.
     *
     * @throws IllegalStateException when this is not Linux, not root, or iptables does not work
     */
    public static IptablesRoutes create(String containerInstanceArn, int port) {
        Objects.requireNonNull(containerInstanceArn, "containerInstanceArn");
        requireUsable();
        return new IptablesRoutes(
                "stevedore:" + containerInstanceArn.substring(containerInstanceArn.lastIndexOf('/') + 1), port);
    }

    /**
     * Checks that this agent can make the routes here (Linux, root, a working iptables), before it
     * registers: only then does it tell the control plane it takes tasks with a task role.
     *
     * @throws IllegalStateException saying what is missing
     */
    public static void requireUsable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new IllegalStateException("the task endpoints need Linux (iptables); this is " + System.getProperty("os.name"));
        }
        if (!isRoot()) {
            throw new IllegalStateException("the task endpoints need root: the agent routes 169.254.170.2 with iptables");
        }
        List<String> probe = List.of("-t", "nat", "-S", "PREROUTING");
        Result r = run(probe);
        if (r.exit != 0) {
            throw new IllegalStateException("iptables " + String.join(" ", probe) + " failed (" + r.exit + "): "
                    + r.output.strip());
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[2])
                    .anyMatch("0"::equals);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public synchronized void routeTask(String taskArn, String sourceAddress, String bridgeInterface) {
        check(IPV4, sourceAddress, "address");
        check(INTERFACE, bridgeInterface, "interface");
        guard(bridgeInterface);
        add(taskArn, List.of("-i", bridgeInterface, "-s", sourceAddress + "/32"));
    }

    @Override
    public synchronized void routeContainer(String taskArn, String macAddress) {
        check(MAC, macAddress, "MAC address");
        guard(DEFAULT_BRIDGE);
        add(taskArn, List.of("-i", DEFAULT_BRIDGE, "-m", "mac", "--mac-source", macAddress));
    }

    @Override
    public synchronized void release(String taskArn) {
        String comment = taskComment(taskArn);
        for (List<String> rule : ownRules()) {
            if (comment.equals(commentOf(rule))) {
                delete(rule);
            }
        }
    }

    @Override
    public synchronized void keepOnly(Set<String> taskArns) {
        Set<String> kept = new HashSet<>();
        taskArns.forEach(t -> kept.add(taskComment(t)));
        for (List<String> rule : ownRules()) {
            if (!kept.contains(commentOf(rule))) {
                delete(rule);
            } else if (!rule.contains(target())) {
                // The endpoint moved to another port since the rule was made.
                delete(rule);
                List<String> moved = new ArrayList<>(rule);
                moved.set(moved.indexOf("--to-destination") + 1, target());
                moved.set(0, "-I");
                iptables(concat(List.of("-t", "nat"), moved));
            }
        }
        for (String line : iptables("-S", "INPUT").split("\n")) {
            List<String> rule = split(line.strip());
            int in = rule.indexOf("-i");
            if (GUARD.equals(commentOf(rule)) && in >= 0 && !Files.exists(Path.of("/sys/class/net", rule.get(in + 1)))) {
                List<String> d = new ArrayList<>(rule);
                d.set(0, "-D");
                succeeds(d);
            }
        }
        log.info("task endpoint routes of {} kept for {} task(s)", agentTag, taskArns.size());
    }

    /**
     * Routes the host's own connections to {@code 169.254.170.2:port} to this agent; idempotent, and
     * removes the host rule an earlier run of this agent left for another port.
     */
    public synchronized void routeHost() {
        List<String> rule = hostRule();
        for (List<String> stale : ownHostRules()) {
            if (!stale.subList(1, stale.size()).equals(rule)) {
                delete(stale);
            }
        }
        if (!succeeds(concat(List.of("-t", "nat", "-C"), rule))) {
            iptables(concat(List.of("-t", "nat", "-I"), rule));
        }
        log.info("the host reaches the task endpoints of {} at {}:{}", agentTag, ENDPOINT_ADDRESS, port);
    }

    /** Removes this agent's host rule, when it stops; removing what is not there is fine. */
    public synchronized void unrouteHost() {
        ownHostRules().forEach(this::delete);
    }

    /** The port the host's connections to {@code 169.254.170.2} name to reach this agent. */
    public int hostPort() {
        return port;
    }

    private List<String> hostRule() {
        return List.of("OUTPUT", "-d", ENDPOINT_ADDRESS + "/32", "-p", "tcp", "-m", "tcp", "--dport", Integer.toString(port),
                "-m", "comment", "--comment", hostComment(), "-j", "DNAT", "--to-destination", target());
    }

    private String hostComment() {
        return agentTag + ":host";
    }

    /** This agent's host rules, each as {@code -A OUTPUT …} arguments. */
    private List<List<String>> ownHostRules() {
        return natRules("OUTPUT", hostComment()::equals);
    }

    private void add(String taskArn, List<String> match) {
        List<String> args = new ArrayList<>(List.of("-t", "nat", "-I", "PREROUTING"));
        args.addAll(match);
        args.addAll(List.of("-d", ENDPOINT_ADDRESS + "/32", "-p", "tcp", "--dport", "80",
                "-m", "comment", "--comment", taskComment(taskArn), "-j", "DNAT", "--to-destination", target()));
        iptables(args);
    }

    /**
     * Lets DNAT-ed packets from the bridge reach the loopback address, and nothing else: without
     * the DROP, {@code route_localnet} would open every service listening on 127.0.0.1 to the
     * bridge's containers.
     */
    private void guard(String bridge) {
        if (guarded.contains(bridge)) {
            return;
        }
        List<String> drop = List.of("INPUT", "-i", bridge, "-d", "127.0.0.0/8", "-m", "conntrack", "!", "--ctstate",
                "RELATED,ESTABLISHED,DNAT", "-m", "comment", "--comment", GUARD, "-j", "DROP");
        if (!succeeds(concat(List.of("-C"), drop))) {
            iptables(concat(List.of("-I"), drop));
        }
        Path localnet = Path.of("/proc/sys/net/ipv4/conf", bridge, "route_localnet");
        try {
            Files.writeString(localnet, "1");
        } catch (IOException e) {
            throw new IllegalStateException("cannot set " + localnet + ": " + e.getMessage(), e);
        }
        guarded.add(bridge);
    }

    private String target() {
        return "127.0.0.1:" + port;
    }

    private String taskComment(String taskArn) {
        return agentTag + ":" + taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    /** This agent's task rules in PREROUTING, each as {@code -A PREROUTING …} arguments. */
    private List<List<String>> ownRules() {
        return natRules("PREROUTING", comment -> comment.startsWith(agentTag + ":"));
    }

    /** The rules of a chain of the nat table whose comment passes, each as {@code -A CHAIN …} arguments. */
    private List<List<String>> natRules(String chain, Predicate<String> comment) {
        List<List<String>> out = new ArrayList<>();
        for (String line : iptables(List.of("-t", "nat", "-S", chain)).split("\n")) {
            List<String> rule = split(line.strip());
            if (!rule.isEmpty() && rule.get(0).equals("-A") && comment.test(commentOf(rule))) {
                out.add(rule);
            }
        }
        return out;
    }

    private void delete(List<String> rule) {
        List<String> d = new ArrayList<>(rule);
        d.set(0, "-D");
        iptables(concat(List.of("-t", "nat"), d));
    }

    private static String commentOf(List<String> rule) {
        int i = rule.indexOf("--comment");
        return i < 0 || i + 1 >= rule.size() ? "" : rule.get(i + 1);
    }

    /** Splits a rule as iptables prints it: words, with double-quoted ones unquoted. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
                any = true;
            } else if (ch == ' ' && !quoted) {
                if (any) {
                    out.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(ch);
                any = true;
            }
        }
        if (any) {
            out.add(word.toString());
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void check(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("not a valid " + what + ": " + value);
        }
    }

    private boolean succeeds(List<String> args) {
        return run(args).exit == 0;
    }

    private String iptables(String... args) {
        return iptables(List.of(args));
    }

    private String iptables(List<String> args) {
        Result r = run(args);
        if (r.exit != 0) {
            throw new IllegalStateException("iptables " + String.join(" ", args) + " failed (" + r.exit + "): " + r.output.strip());
        }
        return r.output;
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> args) {
        // -w: wait for the xtables lock, which other agents and Docker take too.
        List<String> command = concat(List.of("iptables", "-w"), args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run iptables: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running iptables", e);
        }
    }
}
