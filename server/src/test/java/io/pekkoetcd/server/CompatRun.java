package io.pekkoetcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pekkoetcd.testkit.etcdctl.Etcdctl;
import io.pekkoetcd.testkit.process.RealEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/**
 * One etcdctl command sequence against a fresh real etcd 3.4 member, then against a fresh
 * pekko-etcd member: both transcripts go to {@code target/etcdctl-compat/<name>-*.txt} and must be
 * equal step by step.
 */
final class CompatRun {
  private CompatRun() {}

  /** Runs the sequence against one server and returns one normalised output per step. */
  @FunctionalInterface
  interface Sequence {
    List<String> run(String endpoint, int clientPort, int peerPort) throws Exception;
  }

  static void assertSameAsEtcd(Path dir, String name, List<String> stepNames, Sequence sequence)
      throws Exception {
    assertThat(Etcdctl.available()).as("etcdctl on PATH (Debian etcd-client)").isTrue();
    assertThat(RealEtcd.available()).as("etcd on PATH (Debian etcd-server)").isTrue();
    List<String> reference;
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"), name)) {
      reference = sequence.run(etcd.endpoint(), etcd.port(), etcd.peerPort());
    }
    List<String> ours;
    try (InProcessMember member = InProcessMember.start(dir.resolve("pekko"), name)) {
      ours = sequence.run("127.0.0.1:" + member.port(), member.port(), member.peerPort());
    }
    Path out = Path.of("target", "etcdctl-compat");
    Files.createDirectories(out);
    Files.writeString(out.resolve(name + "-etcd.txt"), String.join("\n", reference));
    Files.writeString(out.resolve(name + "-pekko-etcd.txt"), String.join("\n", ours));
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < stepNames.size(); i++) {
      soft.assertThat(ours.get(i)).as(stepNames.get(i)).isEqualTo(reference.get(i));
    }
    soft.assertAll();
  }
}
