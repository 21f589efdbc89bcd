package io.pekkoetcd.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pekkoetcd.raft.ConfState;
import io.pekkoetcd.raft.Entry;
import io.pekkoetcd.raft.EntryType;
import io.pekkoetcd.raft.HardState;
import io.pekkoetcd.raft.Snapshot;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every WAL object survives its protobuf round trip; a corrupt or unknown record fails loudly. */
class WalSerializerTest {
  private final WalSerializer serializer = new WalSerializer();

  private Object roundTrip(Object o) throws NotSerializableException {
    return serializer.fromBinary(serializer.toBinary(o), serializer.manifest(o));
  }

  private static final Snapshot POINT =
      new Snapshot(20, 4, new ConfState(Set.of(1L, 2L, 3L), Set.of(9L)), null);

  private static final List<Entry> ENTRIES =
      List.of(
          new Entry(4, 21, EntryType.NORMAL, "put".getBytes(StandardCharsets.UTF_8)),
          new Entry(4, 22, EntryType.NORMAL, null),
          new Entry(5, 23, EntryType.CONF_CHANGE, new byte[] {1, 2, 3}));

  @Test
  void eventsAndStateRoundTrip() throws NotSerializableException {
    List<Object> objects =
        List.of(
            new WalEvent.HardStateSet(new HardState(5, 2, 22)),
            new WalEvent.HardStateSet(HardState.EMPTY),
            new WalEvent.EntriesAppended(ENTRIES),
            new WalEvent.EntriesAppended(List.of()),
            new WalEvent.LogCompacted(POINT),
            new WalEvent.SnapshotSaved(POINT),
            new RaftLogSnapshot(new HardState(5, 2, 22), POINT, ENTRIES),
            new RaftLogSnapshot(HardState.EMPTY, Snapshot.EMPTY, List.of()));
    for (Object o : objects) {
      assertThat(roundTrip(o)).as(o.toString()).isEqualTo(o);
    }
    assertThat(objects.stream().map(serializer::manifest).distinct()).hasSize(5);
  }

  @Test
  void corruptOrUnknownRecordsAreRefused() {
    assertThatThrownBy(() -> serializer.fromBinary(new byte[] {(byte) 0xff, 0x01}, "E"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("corrupt WAL record (E)");
    assertThatThrownBy(() -> serializer.fromBinary(new byte[0], "X"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("unknown WAL manifest X");
  }
}
