package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EdgeRefusalsTest {

    private static final HttpRequest JSON_CALL = HttpRequest.post(Headers.of(
            "X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters",
            "Content-Type", "application/x-amz-json-1.1"), new byte[0]);
    private static final HttpRequest EC2_CALL = HttpRequest.post(Headers.of(
            "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), new byte[0]);

    @Test
    void anAwsJsonCallIsThrottledAsEcsThrottles() {
        HttpResponse response = EdgeRefusals.throttled(JSON_CALL);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("X-Amzn-ErrorType")).contains("ThrottlingException");
        assertThat(response.header("x-amzn-RequestId")).isPresent();
        assertThat(AwsErrorResponse.parse(response.header("X-Amzn-ErrorType"), response.body()))
                .isEqualTo(new AwsErrorResponse("ThrottlingException", "Rate exceeded"));
    }

    @Test
    void anEc2CallIsThrottledAsEc2Throttles() {
        HttpResponse response = EdgeRefusals.throttled(EC2_CALL);

        assertThat(response.status()).isEqualTo(503);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .contains("<Code>RequestLimitExceeded</Code>", "<Message>Request limit exceeded.</Message>");
        assertThat(EdgeRefusals.throttled(new HttpRequest("GET", "/", "Action=DescribeVpcs&Version=2016-11-15",
                Headers.empty(), new byte[0])).status()).isEqualTo(503);
    }

    @Test
    void aCallSignedForIamOrOfStssVersionIsThrottledAsTheQueryServicesThrottle() {
        HttpRequest iamCall = HttpRequest.post(Headers.of(
                "Content-Type", "application/x-www-form-urlencoded; charset=utf-8",
                "X-Amz-Date", "20240501T120000Z",
                "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDALICE/20240501/us-east-1/iam/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=abc"), new byte[0]);
        HttpRequest stsGet = new HttpRequest("GET", "/", "Action=GetCallerIdentity&Version=2011-06-15",
                Headers.empty(), new byte[0]);

        HttpResponse iam = EdgeRefusals.throttled(iamCall);
        HttpResponse sts = EdgeRefusals.throttled(stsGet);

        assertThat(iam.status()).isEqualTo(400);
        assertThat(iam.header("x-amzn-RequestId")).isPresent();
        assertThat(iam.bodyAsString()).contains("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>");
        assertThat(sts.status()).isEqualTo(400);
        assertThat(sts.bodyAsString()).contains("https://sts.amazonaws.com/doc/2011-06-15/", "<Code>Throttling</Code>");
        assertThat(EdgeRefusals.tooLarge(iamCall, -1, 1_048_576).bodyAsString())
                .contains("<Code>RequestEntityTooLarge</Code>");
        assertThat(EdgeRefusals.tooLarge(iamCall, -1, 1_048_576).status()).isEqualTo(413);
    }

    @Test
    void aCallSignedForEfsIsThrottledAsEfsThrottles() {
        HttpRequest efsGet = new HttpRequest("GET", "/2015-02-01/file-systems", "MaxItems=5", Headers.of(
                "X-Amz-Date", "20240501T120000Z",
                "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDALICE/20240501/us-east-1/elasticfilesystem/"
                        + "aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"), new byte[0]);

        HttpResponse throttled = EdgeRefusals.throttled(efsGet);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("X-Amzn-ErrorType")).contains("ThrottlingException");
        assertThat(throttled.header("Content-Type")).contains("application/json");
        assertThat(throttled.bodyAsString()).isEqualTo("{\"ErrorCode\":\"ThrottlingException\",\"Message\":\"Rate exceeded\"}");
        assertThat(EdgeRefusals.tooLarge(efsGet, -1, 1_048_576).status()).isEqualTo(413);
    }

    @Test
    void aRequestOfNoKnownShapeGetsTheAwsJsonAnswer() {
        HttpResponse response = EdgeRefusals.throttled(HttpRequest.post(Headers.empty(), new byte[0]));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("X-Amzn-ErrorType")).contains("ThrottlingException");
    }

    @Test
    void anOversizedBodyIs413InTheRequestsProtocol() {
        HttpResponse json = EdgeRefusals.tooLarge(JSON_CALL, 2_000_000, 1_048_576);
        HttpResponse ec2 = EdgeRefusals.tooLarge(EC2_CALL, -1, 1_048_576);

        assertThat(json.status()).isEqualTo(413);
        assertThat(AwsErrorResponse.parse(json.header("X-Amzn-ErrorType"), json.body())).isEqualTo(
                new AwsErrorResponse("RequestEntityTooLargeException",
                        "Request body of 2000000 bytes exceeds the limit of 1048576 bytes."));
        assertThat(ec2.status()).isEqualTo(413);
        assertThat(new String(ec2.body(), StandardCharsets.UTF_8)).contains("<Code>RequestEntityTooLarge</Code>",
                "Request body exceeds the limit of 1048576 bytes.");
    }
}
