package io.pekkoetcd.actors.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/**
 * The counting mailbox and the interceptor on a real actor system, with {@code
 * pekko-etcd-metrics.conf}'s mailboxes: an actor held busy shows the messages waiting for it as its
 * kind's mailbox depth, which drains to zero; each message handled is observed by type. With {@code
 * actor-metrics = off} the same actor leaves no actor series behind.
 */
class ActorMetricsTest {
  private static final String MAILBOXES =
      "pekko.actor.typed.default-mailbox.mailbox-type ="
          + " \"io.pekkoetcd.actors.metrics.CountingMailbox$SingleConsumer\"\n"
          + "pekko.actor.default-mailbox.mailbox-type ="
          + " \"io.pekkoetcd.actors.metrics.CountingMailbox\"\n";

  record Work(CountDownLatch hold, ActorRef<String> done) {}

  private static Behavior<Work> worker() {
    return Behaviors.receiveMessage(
        w -> {
          w.hold().await(10, TimeUnit.SECONDS);
          w.done().tell("done");
          return Behaviors.same();
        });
  }

  @Test
  void aBusyActorsWaitingMessagesShowAsItsKindsMailboxDepth() throws Exception {
    ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseString(MAILBOXES));
    try {
      MemberMetrics metrics = MemberMetrics.get(kit.system());
      ActorRef<Work> worker = kit.spawn(ActorMetrics.instrument("worker", worker()), "worker");
      TestProbe<String> probe = kit.createTestProbe();
      CountDownLatch hold = new CountDownLatch(1);
      for (int i = 0; i < 10; i++) {
        worker.tell(new Work(hold, probe.getRef()));
      }
      // The first message is being handled (held); nine wait.
      probe.awaitAssert(
          Duration.ofSeconds(5),
          () -> {
            assertThat(depth(metrics, "worker")).isEqualTo(9);
            return null;
          });
      hold.countDown();
      for (int i = 0; i < 10; i++) {
        probe.expectMessage("done");
      }
      probe.awaitAssert(
          Duration.ofSeconds(5),
          () -> {
            assertThat(depth(metrics, "worker")).isZero();
            assertThat(processed(metrics, "worker", "Work")).isEqualTo(10);
            return null;
          });
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void offLeavesNoActorSeries() {
    ActorTestKit kit =
        ActorTestKit.create(
            ConfigFactory.parseString(MAILBOXES + "pekko-etcd.metrics.actor-metrics = off\n"));
    try {
      MemberMetrics metrics = MemberMetrics.get(kit.system());
      ActorRef<Work> worker = kit.spawn(ActorMetrics.instrument("worker", worker()), "worker");
      TestProbe<String> probe = kit.createTestProbe();
      CountDownLatch none = new CountDownLatch(0);
      worker.tell(new Work(none, probe.getRef()));
      probe.expectMessage("done");
      assertThat(depth(metrics, "worker")).isEqualTo(-1);
      assertThat(processed(metrics, "worker", "Work")).isEqualTo(-1);
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** The mailbox depth of {@code kind}, -1 if there is no such series. */
  private static double depth(MemberMetrics metrics, String kind) {
    for (MetricSnapshot s : metrics.registry().scrape()) {
      if (s instanceof GaugeSnapshot g
          && g.getMetadata().getName().equals("pekko_etcd_actor_mailbox_depth")) {
        for (GaugeSnapshot.GaugeDataPointSnapshot p : g.getDataPoints()) {
          if (kind.equals(p.getLabels().get("actor"))) {
            return p.getValue();
          }
        }
      }
    }
    return -1;
  }

  /** Messages of {@code type} that {@code kind} handled, -1 if there is no such series. */
  private static long processed(MemberMetrics metrics, String kind, String type) {
    for (MetricSnapshot s : metrics.registry().scrape()) {
      if (s instanceof HistogramSnapshot h
          && h.getMetadata().getName().equals("pekko_etcd_actor_processing_seconds")) {
        for (DataPointSnapshot p : h.getDataPoints()) {
          if (kind.equals(p.getLabels().get("actor"))
              && type.equals(p.getLabels().get("message"))) {
            return ((HistogramSnapshot.HistogramDataPointSnapshot) p).getCount();
          }
        }
      }
    }
    return -1;
  }
}
