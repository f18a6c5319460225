package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.e2e.malformed.MalformedCase;
import dev.stevedore.e2e.malformed.MalformedRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of every service the server answers gets malformed requests derived from its model
 * (see {@link MalformedRequests}), with a fixed seed: each must be answered with a 4xx error in the
 * protocol's own format (never a 5xx, never a dropped connection), and a refused request must leave
 * the store's revision where it was. {@code -Dmalformed.seeds=1,2,3 -Dmalformed.perKind=K} run other and
 * more cases ({@code bench/run-malformed.sh}).
 */
class MalformedInputIT {
    static final List<String> SPECS = List.of("ecs-2014-11-13", "ec2-2016-11-15", "iam-2010-05-08",
            "sts-2011-06-15", "ssm-2014-11-06", "secretsmanager-2017-10-17", "logs-2014-03-28", "elbv2-2015-12-01",
            "ecr-2015-09-21");
    static final ObjectMapper JSON = new ObjectMapper();

    static InProcessStevedore stevedore;
    static RawAws raw;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        raw = new RawAws(stevedore.endpoint());
        // What the server makes on an account's or a scope's first call (IAM's defaults, the default
        // VPC) is made now, so that a refused request is never the first call of its service.
        try (var ec2 = stevedore.ec2(); var iam = software.amazon.awssdk.services.iam.IamClient.builder()
                .endpointOverride(stevedore.endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY)))
                .build()) {
            ec2.describeVpcs();
            iam.listUsers();
        }
    }

    @AfterAll
    static void stop() {
        stevedore.close();
    }

    @Test
    void everyOperationRefusesMalformedInputCleanlyAndChangesNothing() {
        int perKind = Integer.getInteger("malformed.perKind", 2);
        List<String> failures = new ArrayList<>();
        int total = 0;
        for (String seedText : System.getProperty("malformed.seeds", "20261207").split(",")) {
            long seed = Long.parseLong(seedText.strip());
            int before = failures.size();
            int cases = run(seed, perKind, failures);
            total += cases;
            System.out.printf("malformed input: seed %d, %d per kind: %d cases, %d failures%n",
                    seed, perKind, cases, failures.size() - before);
        }
        assertThat(failures).as("%d of %d cases", failures.size(), total).isEmpty();
        assertThat(total).isGreaterThan(2_000);
        // Still serving.
        assertThat(stevedore.ecs().listClusters().clusterArns()).isNotEmpty();
    }

    /** Sends every case of one seed, adds what went wrong to {@code failures}; answers how many were sent. */
    private static int run(long seed, int perKind, List<String> failures) {
        Map<String, Integer> outcomes = new TreeMap<>();
        int total = 0;
        for (String name : SPECS) {
            for (MalformedCase c : MalformedRequests.of(ServiceSpec.load(name), seed, perKind)) {
                total++;
                long before = stevedore.plane.storeRevision();
                RawAws.Response r;
                try {
                    r = raw.post(c.signingName(), c.headers(), c.body());
                } catch (AssertionError e) {
                    failures.add("no answer (" + e.getCause() + "): " + c.describe());
                    continue;
                }
                long after = stevedore.plane.storeRevision();
                outcomes.merge(r.status() / 100 + "xx", 1, Integer::sum);
                if (r.status() >= 500) {
                    failures.add(r.status() + " " + r.body() + " for " + c.describe());
                } else if (r.status() >= 400) {
                    if (after != before) {
                        failures.add("refused with " + r.status() + " yet the store moved " + before + " → " + after
                                + ": " + c.describe());
                    }
                    String problem = errorFormatProblem(r);
                    if (problem != null) {
                        failures.add(problem + ": " + c.describe());
                    }
                }
            }
        }
        System.out.printf("malformed input: seed %d answers %s%n", seed, outcomes);
        return total;
    }

    /** Why an error answer is not one an AWS client can read, or null when it is. */
    static String errorFormatProblem(RawAws.Response r) {
        String body = r.body().strip();
        if (body.startsWith("{")) {
            try {
                JsonNode error = JSON.readTree(body);
                return error.path("__type").asText().isBlank() ? "JSON error without __type: " + body : null;
            } catch (Exception e) {
                return "unreadable JSON error " + body;
            }
        }
        if (body.startsWith("<")) {
            return body.contains("<Code>") ? null : "XML error without a Code: " + body;
        }
        return "error answer in no AWS format (" + r.header("Content-Type") + "): '" + body + "'";
    }
}
