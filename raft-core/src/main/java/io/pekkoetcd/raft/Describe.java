package io.pekkoetcd.raft;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Stable, compact one-line renderings of messages and entries (for logs, interaction scripts and
 * simulation traces); byte payloads print as text when printable ASCII, else hex.
 */
public final class Describe {

  private Describe() {}

  public static String entry(Entry e) {
    String data =
        e.type() == EntryType.CONF_CHANGE
            ? ConfChange.decode(e.data()).toString()
            : Bytes.printable(e.data());
    return e.term()
        + "/"
        + e.index()
        + " "
        + (e.type() == EntryType.CONF_CHANGE ? "ConfChange " : "")
        + data;
  }

  public static String entries(List<Entry> entries) {
    return entries.stream().map(Describe::entry).collect(Collectors.joining(", ", "[", "]"));
  }

  public static String message(Message m) {
    String head = m.from() + "->" + m.to() + " ";
    if (m instanceof Message.MsgApp a) {
      return head
          + "MsgApp term="
          + a.term()
          + " log="
          + a.logTerm()
          + "/"
          + a.index()
          + " commit="
          + a.commit()
          + (a.entries().isEmpty() ? "" : " entries=" + entries(a.entries()));
    } else if (m instanceof Message.MsgAppResp r) {
      return head
          + "MsgAppResp term="
          + r.term()
          + " index="
          + r.index()
          + (r.reject() ? " rejected hint=" + r.logTerm() + "/" + r.rejectHint() : "");
    } else if (m instanceof Message.MsgVote v) {
      return head
          + "MsgVote term="
          + v.term()
          + " log="
          + v.logTerm()
          + "/"
          + v.index()
          + (v.transfer() ? " transfer" : "");
    } else if (m instanceof Message.MsgVoteResp r) {
      return head + "MsgVoteResp term=" + r.term() + (r.reject() ? " rejected" : " granted");
    } else if (m instanceof Message.MsgPreVote v) {
      return head
          + "MsgPreVote term="
          + v.term()
          + " log="
          + v.logTerm()
          + "/"
          + v.index()
          + (v.transfer() ? " transfer" : "");
    } else if (m instanceof Message.MsgPreVoteResp r) {
      return head + "MsgPreVoteResp term=" + r.term() + (r.reject() ? " rejected" : " granted");
    } else if (m instanceof Message.MsgHeartbeat h) {
      return head
          + "MsgHeartbeat term="
          + h.term()
          + " commit="
          + h.commit()
          + (h.context().length == 0 ? "" : " ctx=" + Bytes.printable(h.context()));
    } else if (m instanceof Message.MsgHeartbeatResp h) {
      return head
          + "MsgHeartbeatResp term="
          + h.term()
          + (h.context().length == 0 ? "" : " ctx=" + Bytes.printable(h.context()));
    } else if (m instanceof Message.MsgSnap s) {
      return head + "MsgSnap term=" + s.term() + " " + s.snapshot();
    } else if (m instanceof Message.MsgProp p) {
      return head + "MsgProp entries=" + entries(p.entries());
    } else if (m instanceof Message.MsgReadIndex r) {
      return head + "MsgReadIndex ctx=" + Bytes.printable(r.context());
    } else if (m instanceof Message.MsgReadIndexResp r) {
      return head
          + "MsgReadIndexResp term="
          + r.term()
          + " index="
          + r.index()
          + " ctx="
          + Bytes.printable(r.context());
    } else if (m instanceof Message.MsgTimeoutNow t) {
      return head + "MsgTimeoutNow term=" + t.term();
    } else if (m instanceof Message.MsgTransferLeader t) {
      return head + "MsgTransferLeader transferee=" + t.transferee();
    }
    throw new IllegalArgumentException(m.toString());
  }
}
