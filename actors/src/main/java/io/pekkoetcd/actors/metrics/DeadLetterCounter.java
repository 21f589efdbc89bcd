package io.pekkoetcd.actors.metrics;

import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.Dropped;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Counts dead letters (messages to an actor that has stopped) and dropped messages ({@code
 * pekko_etcd_actor_dead_letters_total}) by the kind of the recipient, from the actor system's event
 * stream. One per member, spawned by the guardian.
 */
public final class DeadLetterCounter {
  private DeadLetterCounter() {}

  public static final String NAME = "dead-letters";

  /** What it hears: the event stream's dead letters and drops. */
  public sealed interface Command {}

  private record Dead(DeadLetter letter) implements Command {}

  private record Drop(Dropped dropped) implements Command {}

  public static Behavior<Command> create() {
    return Behaviors.setup(
        ctx -> {
          MemberMetrics metrics = MemberMetrics.get(ctx.getSystem());
          ctx.getSystem()
              .eventStream()
              .tell(
                  new EventStream.Subscribe<>(
                      DeadLetter.class, ctx.messageAdapter(DeadLetter.class, Dead::new)));
          ctx.getSystem()
              .eventStream()
              .tell(
                  new EventStream.Subscribe<>(
                      Dropped.class, ctx.messageAdapter(Dropped.class, Drop::new)));
          return Behaviors.receive(Command.class)
              .onMessage(
                  Dead.class,
                  d -> count(metrics, d.letter().recipient().path().toStringWithoutAddress()))
              .onMessage(
                  Drop.class,
                  d -> count(metrics, d.dropped().recipient().path().toStringWithoutAddress()))
              .build();
        });
  }

  private static Behavior<Command> count(MemberMetrics metrics, String recipientPath) {
    metrics.deadLetters(ActorKinds.of(recipientPath)).inc();
    return Behaviors.same();
  }
}
