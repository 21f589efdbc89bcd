package io.pekkoetcd.actors.metrics;

import com.typesafe.config.Config;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.dispatch.AbstractNodeQueue;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MailboxType;
import org.apache.pekko.dispatch.MessageQueue;
import org.apache.pekko.dispatch.NodeMessageQueue;
import org.apache.pekko.dispatch.ProducesMessageQueue;
import org.apache.pekko.dispatch.UnboundedMailbox;
import org.apache.pekko.dispatch.UnboundedMessageQueueSemantics;
import scala.Option;

/**
 * Pekko's unbounded mailboxes, counting the messages waiting in them: one {@link LongAdder} per
 * actor kind ({@link ActorKinds}), incremented on enqueue and decremented on dequeue (also when a
 * stopped actor's queue is drained to dead letters), summed only when scraped ({@code
 * pekko_etcd_actor_mailbox_depth}). No allocation per message.
 *
 * <p>Two types, as Pekko has two defaults: this one replaces the classic default ({@code
 * pekko.actor.default-mailbox}: Pekko's own actors, e.g. the journal), {@link SingleConsumer} the
 * typed default ({@code pekko.actor.typed.default-mailbox}: every actor of the member), each with
 * the queue it replaces. Configured in the server's {@code pekko-etcd-metrics.conf}; with {@code
 * pekko-etcd.metrics.actor-metrics = off} they hand out Pekko's plain queues.
 */
public final class CountingMailbox
    implements MailboxType, ProducesMessageQueue<UnboundedMailbox.MessageQueue> {

  /** Pekko's constructor for a mailbox type. */
  public CountingMailbox(ActorSystem.Settings settings, Config config) {}

  @Override
  public MessageQueue create(Option<ActorRef> owner, Option<ActorSystem> system) {
    LongAdder depth = depth(owner, system);
    return depth == null ? new UnboundedMailbox.MessageQueue() : new Counting(depth);
  }

  /** The depth counter for the owner's kind, or null when not counting. */
  private static LongAdder depth(Option<ActorRef> owner, Option<ActorSystem> system) {
    if (owner.isEmpty() || system.isEmpty()) {
      return null;
    }
    MemberMetrics metrics = MemberMetrics.get(system.get());
    if (!metrics.actorMetrics()) {
      return null;
    }
    return metrics.mailboxDepth(ActorKinds.of(owner.get().path().toStringWithoutAddress()));
  }

  /** The classic queue: Pekko's unbounded one, with a shared depth counter. */
  static final class Counting extends UnboundedMailbox.MessageQueue {
    private final LongAdder depth;

    Counting(LongAdder depth) {
      this.depth = depth;
    }

    @Override
    public void enqueue(ActorRef receiver, Envelope handle) {
      depth.increment(); // before: a dequeue racing with it never sees the depth below zero
      super.enqueue(receiver, handle);
    }

    @Override
    public Envelope dequeue() {
      Envelope e = super.dequeue();
      if (e != null) {
        depth.decrement();
      }
      return e;
    }
  }

  /**
   * The typed actors' mailbox: Pekko's single-consumer node queue (what {@code
   * SingleConsumerOnlyUnboundedMailbox} gives), counted.
   */
  public static final class SingleConsumer
      implements MailboxType, ProducesMessageQueue<CountingNodeQueue> {

    /** Pekko's constructor for a mailbox type. */
    public SingleConsumer(ActorSystem.Settings settings, Config config) {}

    @Override
    public MessageQueue create(Option<ActorRef> owner, Option<ActorSystem> system) {
      LongAdder depth = depth(owner, system);
      return depth == null ? new NodeMessageQueue() : new CountingNodeQueue(depth);
    }
  }

  /** A multi-producer, single-consumer node queue with a shared depth counter. */
  public static final class CountingNodeQueue extends AbstractNodeQueue<Envelope>
      implements MessageQueue, UnboundedMessageQueueSemantics {
    private final LongAdder depth;

    CountingNodeQueue(LongAdder depth) {
      this.depth = depth;
    }

    @Override
    public void enqueue(ActorRef receiver, Envelope handle) {
      depth.increment();
      add(handle);
    }

    @Override
    public Envelope dequeue() {
      Envelope e = poll();
      if (e != null) {
        depth.decrement();
      }
      return e;
    }

    @Override
    public int numberOfMessages() {
      return count();
    }

    @Override
    public boolean hasMessages() {
      return !isEmpty();
    }

    @Override
    public void cleanUp(ActorRef owner, MessageQueue deadLetters) {
      for (Envelope e = dequeue(); e != null; e = dequeue()) {
        deadLetters.enqueue(owner, e);
      }
    }
  }
}
