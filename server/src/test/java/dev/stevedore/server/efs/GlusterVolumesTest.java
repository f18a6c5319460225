package dev.stevedore.server.efs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GlusterVolumesTest {
    /** What GlusterFS 10's {@code gluster volume status fs-1 --xml} printed with the second brick's process killed. */
    private static final String ONE_BRICK_DOWN = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <cliOutput>
              <opRet>0</opRet>
              <opErrno>0</opErrno>
              <opErrstr/>
              <volStatus>
                <volumes>
                  <volume>
                    <volName>fs-1</volName>
                    <nodeCount>4</nodeCount>
                    <node>
                      <hostname>192.0.2.2</hostname>
                      <path>/data/efs/bricks/fs-1/brick1</path>
                      <peerid>d29d92b8-9134-4800-b778-45d8244e6afd</peerid>
                      <status>1</status>
                      <port>53615</port>
                      <ports>
                        <tcp>53615</tcp>
                        <rdma>N/A</rdma>
                      </ports>
                      <pid>6319</pid>
                    </node>
                    <node>
                      <hostname>192.0.2.2</hostname>
                      <path>/data/efs/bricks/fs-1/brick2</path>
                      <peerid>d29d92b8-9134-4800-b778-45d8244e6afd</peerid>
                      <status>0</status>
                      <port>N/A</port>
                      <ports>
                        <tcp>N/A</tcp>
                        <rdma>N/A</rdma>
                      </ports>
                      <pid>-1</pid>
                    </node>
                    <node>
                      <hostname>192.0.2.2</hostname>
                      <path>/data/efs/bricks/fs-1/brick3</path>
                      <peerid>d29d92b8-9134-4800-b778-45d8244e6afd</peerid>
                      <status>1</status>
                      <port>50379</port>
                      <ports>
                        <tcp>50379</tcp>
                        <rdma>N/A</rdma>
                      </ports>
                      <pid>6372</pid>
                    </node>
                    <node>
                      <hostname>Self-heal Daemon</hostname>
                      <path>localhost</path>
                      <peerid>d29d92b8-9134-4800-b778-45d8244e6afd</peerid>
                      <status>1</status>
                      <port>N/A</port>
                      <ports>
                        <tcp>N/A</tcp>
                        <rdma>N/A</rdma>
                      </ports>
                      <pid>6407</pid>
                    </node>
                    <tasks/>
                  </volume>
                </volumes>
              </volStatus>
            </cliOutput>
            """;

    @Test
    void theBricksReportedOfflineAreDownAndTheSelfHealDaemonIsNoBrick() {
        assertThat(GlusterVolumes.downBricks(ONE_BRICK_DOWN, Path.of("/data/efs/bricks/fs-1")))
                .containsExactly("/data/efs/bricks/fs-1/brick2");
    }

    @Test
    void bricksOutsideTheVolumesDirectoryAreNotItsOwn() {
        assertThat(GlusterVolumes.downBricks(ONE_BRICK_DOWN, Path.of("/data/efs/bricks/fs-2"))).isEmpty();
        assertThat(GlusterVolumes.downBricks(ONE_BRICK_DOWN.replace("<status>0</status>", "<status>1</status>"),
                Path.of("/data/efs/bricks/fs-1"))).isEmpty();
    }
}
