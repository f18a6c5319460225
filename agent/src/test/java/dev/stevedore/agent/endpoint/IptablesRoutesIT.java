package dev.stevedore.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules an agent leaves in the host's nat table, read back with {@code iptables -S}: only its
 * own, named after it, gone when their task goes, and moved with the agent's port. No packet is
 * sent: the containers' view is TaskEndpointsIT's.
 */
class IptablesRoutesIT {

    private final String instance = "arn:aws:ecs:us-east-1:000000000000:container-instance/it/" + UUID.randomUUID();
    private final String agentTag = "stevedore:" + instance.substring(instance.lastIndexOf('/') + 1);
    private static final String TASK = "arn:aws:ecs:us-east-1:000000000000:task/it/0123456789abcdef0123456789abcdef";
    private static final String OTHER = "arn:aws:ecs:us-east-1:000000000000:task/it/fedcba9876543210fedcba9876543210";

    @AfterEach
    void removeWhatIsLeft() {
        IptablesRoutes.create(instance, 1).keepOnly(Set.of());
        IptablesRoutes.create(instance, 1).unrouteHost();
    }

    private List<String> ownHostRules() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("iptables", "-w", "-t", "nat", "-S", "OUTPUT").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().filter(l -> l.contains(agentTag)).toList();
    }

    @Test
    void theHostIsRoutedByThePortInTheAddressOnceHoweverOftenAskedAndTheRuleMovesWithTheAgentAndGoesWhenItStops()
            throws Exception {
        IptablesRoutes.create(instance, 40011).routeHost();
        IptablesRoutes routes = IptablesRoutes.create(instance, 40012);
        routes.routeHost();
        routes.routeHost();

        assertThat(ownHostRules()).singleElement().satisfies(rule -> assertThat(rule).startsWith("-A OUTPUT ")
                .contains("-d 169.254.170.2/32", "--dport 40012", "--to-destination 127.0.0.1:40012", agentTag + ":host"));

        routes.unrouteHost();
        routes.unrouteHost();

        assertThat(ownHostRules()).isEmpty();
    }

    private List<String> ownRules() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("iptables", "-w", "-t", "nat", "-S", "PREROUTING").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        // iptables prints MAC addresses in lower or upper case, depending on its version; the rest is lower case.
        return out.lines().filter(l -> l.contains(agentTag)).map(l -> l.toLowerCase(Locale.ROOT)).toList();
    }

    @Test
    void aTasksRulesMatchItAloneAndGoWithIt() throws Exception {
        IptablesRoutes routes = IptablesRoutes.create(instance, 40001);

        routes.routeContainer(TASK, "02:42:ac:11:00:99");
        routes.routeContainer(OTHER, "02:42:ac:11:00:98");

        assertThat(ownRules()).hasSize(2).anySatisfy(rule -> assertThat(rule)
                .contains("-i docker0", "--mac-source 02:42:ac:11:00:99", "-d 169.254.170.2/32", "--dport 80",
                        agentTag + ":0123456789abcdef0123456789abcdef", "--to-destination 127.0.0.1:40001"));

        routes.release(TASK);

        assertThat(ownRules()).singleElement().satisfies(rule -> assertThat(rule).contains("fedcba9876543210"));
    }

    @Test
    void aRestartedAgentKeepsTheRulesOfItsRunningTasksPointedAtItsNewPortAndDropsTheRest() throws Exception {
        IptablesRoutes before = IptablesRoutes.create(instance, 40001);
        before.routeContainer(TASK, "02:42:ac:11:00:97");
        before.routeContainer(OTHER, "02:42:ac:11:00:96");

        IptablesRoutes.create(instance, 40002).keepOnly(Set.of(TASK));

        assertThat(ownRules()).singleElement().satisfies(rule -> assertThat(rule)
                .contains("0123456789abcdef", "--to-destination 127.0.0.1:40002"));
    }

    @Test
    void anotherAgentsRulesAreNotTouched() throws Exception {
        String otherInstance = instance + "-other";
        IptablesRoutes theirs = IptablesRoutes.create(otherInstance, 40003);
        theirs.routeContainer(TASK, "02:42:ac:11:00:95");
        try {
            IptablesRoutes.create(instance, 40001).keepOnly(Set.of());

            Process p = new ProcessBuilder("iptables", "-w", "-t", "nat", "-S", "PREROUTING").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            assertThat(out.toLowerCase(Locale.ROOT)).contains("--mac-source 02:42:ac:11:00:95");
        } finally {
            theirs.keepOnly(Set.of());
        }
    }

    @Test
    void rulesAreReadBackWithTheirQuotedCommentsUnquoted() {
        assertThat(IptablesRoutes.split("-A PREROUTING -m comment --comment \"a b\" -j DNAT"))
                .containsExactly("-A", "PREROUTING", "-m", "comment", "--comment", "a b", "-j", "DNAT");
    }
}
