package io.pekkoetcd.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a Ready promises: what its messages depend on is in the same Ready, to persist first;
 * nothing twice.
 */
class ReadyContractTest {

  @Test
  void voteIsInTheSameReadyAsTheResponseThatRevealsIt() {
    TestNode voter = TestNode.bootstrapped(2, 1L, 2L, 3L);
    voter.raw.step(new Message.MsgVote(1, 2, 1, 1, 1, false));
    Ready rd = voter.raw.ready();
    assertThat(rd.hardState()).contains(new HardState(1, 1, 1));
    assertThat(rd.mustSync()).isTrue();
    assertThat(rd.messages()).singleElement().isInstanceOf(Message.MsgVoteResp.class);
    voter.raw.advance(rd);
    assertThat(voter.raw.hasReady()).isFalse();
  }

  @Test
  void leaderEntriesShipWithTheAppendsThatCarryThem() {
    TestCluster c = TestCluster.of(3, false, false);
    c.elect(1);
    c.node(1).raw.propose("x".getBytes(StandardCharsets.UTF_8));
    Ready rd = c.node(1).raw.ready();
    assertThat(rd.entries()).singleElement().extracting(Entry::index).isEqualTo(3L);
    assertThat(rd.mustSync()).isTrue();
    assertThat(rd.messages())
        .allSatisfy(
            m -> {
              assertThat(m).isInstanceOf(Message.MsgApp.class);
              assertThat(((Message.MsgApp) m).entries()).containsExactlyElementsOf(rd.entries());
            });
    c.node(1).raw.advance(rd);
    Ready next = c.node(1).raw.ready();
    assertThat(next.entries()).isEmpty(); // stable now: not handed out again
    assertThat(next.messages()).isEmpty();
  }

  @Test
  void committedEntriesAreHandedOutOnceInOrder() {
    TestCluster c = TestCluster.of(3, false, false);
    c.elect(1);
    for (int i = 0; i < 3; i++) {
      c.node(1).raw.propose(("p" + i).getBytes(StandardCharsets.UTF_8));
    }
    c.stabilize();
    assertThat(c.node(2).applied).extracting(Entry::index).containsExactly(2L, 3L, 4L, 5L);
  }
}
