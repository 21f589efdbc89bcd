package io.pekkoetcd.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The world of an interaction script (after etcd-io/raft's {@code rafttest}): nodes with in-memory
 * storage, a queue of sent messages per recipient and an optional partition. Each command returns
 * its exact output.
 */
final class InteractionEnv {

  private static final class Node {
    final MemoryRaftStorage storage;
    final RaftConfig config;
    RawNode raw;
    ConfState conf;
    long applied;

    Node(MemoryRaftStorage storage, RaftConfig config) {
      this.storage = storage;
      this.config = config;
      this.conf = storage.snapshot().confState();
    }
  }

  private final TreeMap<Long, Node> nodes = new TreeMap<>();
  private final TreeMap<Long, List<Message>> inbox = new TreeMap<>();
  private final List<Set<Long>> partition = new ArrayList<>();
  private StringBuilder out;

  String run(String command, List<String> args, Map<String, String> options) {
    out = new StringBuilder();
    switch (command) {
      case "add-nodes" -> addNodes(Integer.parseInt(args.get(0)), options);
      case "campaign" -> node(args.get(0)).raw.campaign();
      case "propose" ->
          request(args.get(0), () -> node(args.get(0)).raw.propose(utf8(args.get(1))));
      case "propose-conf-change" ->
          request(
              args.get(0),
              () -> node(args.get(0)).raw.proposeConfChange(confChange(args.get(1), args.get(2))));
      case "read-index" ->
          request(args.get(0), () -> node(args.get(0)).raw.readIndex(utf8(args.get(1))));
      case "transfer-leadership" ->
          node(args.get(0)).raw.transferLeadership(Long.parseLong(args.get(1)));
      case "tick" -> {
        int n = args.size() > 1 ? Integer.parseInt(args.get(1)) : 1;
        for (int i = 0; i < n; i++) {
          node(args.get(0)).raw.tick();
        }
      }
      case "tick-election" -> tick(args.get(0), node(args.get(0)).config.electionTicks());
      case "tick-heartbeat" -> tick(args.get(0), node(args.get(0)).config.heartbeatTicks());
      case "process-ready" -> ids(args).forEach(this::processReady);
      case "deliver-msgs" -> ids(args).forEach(id -> deliver(id, options.containsKey("drop")));
      case "stabilize" -> stabilize(ids(args));
      case "partition" -> partition(args);
      case "heal" -> partition.clear();
      case "log" -> log(Long.parseLong(args.get(0)));
      case "status" -> status(Long.parseLong(args.get(0)));
      case "raft-state" -> raftState();
      case "compact" -> compact(Long.parseLong(args.get(0)), Long.parseLong(args.get(1)));
      case "restart" -> restart(Long.parseLong(args.get(0)));
      default -> throw new IllegalArgumentException("unknown command " + command);
    }
    String result = out.toString().stripTrailing();
    return result.isEmpty() ? "ok" : result;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ConfChange confChange(String kind, String id) {
    long member = Long.parseLong(id);
    return switch (kind) {
      case "add-voter" -> ConfChange.addVoter(member);
      case "add-learner" -> ConfChange.addLearner(member);
      case "remove" -> ConfChange.remove(member);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private Node node(String id) {
    return nodes.get(Long.parseLong(id));
  }

  private List<Long> ids(List<String> args) {
    if (args.isEmpty()) {
      return new ArrayList<>(nodes.keySet());
    }
    return args.stream().map(Long::parseLong).toList();
  }

  private void request(String id, Runnable r) {
    try {
      r.run();
    } catch (ProposalDropped dropped) {
      out.append("dropped: ").append(dropped.reason()).append('\n');
    }
  }

  private void tick(String id, int n) {
    for (int i = 0; i < n; i++) {
      node(id).raw.tick();
    }
  }

  /**
   * add-nodes N [voters=(1,2,3)] [learners=(4)] [prevote=false] [checkquorum=false]: bootstrapped
   * if voters given.
   */
  private void addNodes(int n, Map<String, String> options) {
    Set<Long> voters = parseIds(options.get("voters"));
    Set<Long> learners = parseIds(options.get("learners"));
    for (int i = 0; i < n; i++) {
      long id = nodes.isEmpty() ? 1 : nodes.lastKey() + 1;
      MemoryRaftStorage storage =
          voters.isEmpty()
              ? new MemoryRaftStorage()
              : MemoryRaftStorage.bootstrap(new ConfState(voters, learners));
      RaftConfig config =
          new RaftConfig(
              id,
              10,
              1,
              1024 * 1024,
              256,
              0,
              !"false".equals(options.get("prevote")),
              !"false".equals(options.get("checkquorum")),
              new SplittableRandom(id));
      Node node = new Node(storage, config);
      node.raw = new RawNode(config, storage);
      node.applied = storage.snapshot().index();
      nodes.put(id, node);
      out.append("node ")
          .append(id)
          .append(": ")
          .append(node.conf.voters().isEmpty() ? "empty" : node.conf)
          .append('\n');
    }
  }

  private static Set<Long> parseIds(String list) {
    Set<Long> ids = new TreeSet<>();
    if (list == null) {
      return ids;
    }
    for (String s : list.replace("(", "").replace(")", "").split(",")) {
      if (!s.isBlank()) {
        ids.add(Long.parseLong(s.trim()));
      }
    }
    return ids;
  }

  /** partition (1) (2,3): messages between different groups are dropped on delivery. */
  private void partition(List<String> groups) {
    partition.clear();
    for (String g : groups) {
      partition.add(parseIds(g));
    }
  }

  private boolean cut(Message m) {
    if (partition.isEmpty()) {
      return false;
    }
    for (Set<Long> group : partition) {
      if (group.contains(m.from()) != group.contains(m.to())) {
        if (group.contains(m.from()) || group.contains(m.to())) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean processReady(long id) {
    Node n = nodes.get(id);
    if (!n.raw.hasReady()) {
      return false;
    }
    Ready rd = n.raw.ready();
    out.append("> ").append(id).append(" handling Ready\n");
    rd.softState()
        .ifPresent(
            s ->
                out.append("  soft: ")
                    .append(s.role())
                    .append(" leader=")
                    .append(s.leader())
                    .append('\n'));
    rd.hardState().ifPresent(h -> out.append("  hard: ").append(h).append('\n'));
    rd.snapshot()
        .ifPresent(
            s -> {
              out.append("  snapshot: ").append(s).append('\n');
              n.storage.applySnapshot(s);
            });
    if (!rd.entries().isEmpty()) {
      out.append("  entries: ").append(Describe.entries(rd.entries())).append('\n');
      n.storage.append(rd.entries());
    }
    rd.hardState().ifPresent(n.storage::setHardState);
    for (Message m : rd.messages()) {
      out.append("  send ").append(Describe.message(m)).append('\n');
      inbox.computeIfAbsent(m.to(), k -> new ArrayList<>()).add(m);
    }
    rd.snapshot()
        .ifPresent(
            s -> {
              n.conf = s.confState();
              n.applied = s.index();
            });
    if (!rd.committedEntries().isEmpty()) {
      out.append("  apply: ").append(Describe.entries(rd.committedEntries())).append('\n');
      for (Entry e : rd.committedEntries()) {
        if (e.type() == EntryType.CONF_CHANGE) {
          n.conf = n.raw.applyConfChange(ConfChange.decode(e.data()));
          out.append("  conf now: ").append(n.conf).append('\n');
        }
        n.applied = e.index();
      }
    }
    for (ReadState rs : rd.readStates()) {
      out.append("  read state: index=")
          .append(rs.index())
          .append(" ctx=")
          .append(Bytes.printable(rs.context()))
          .append('\n');
    }
    n.raw.advance(rd);
    return true;
  }

  private boolean deliver(long id, boolean drop) {
    List<Message> msgs = inbox.remove(id);
    if (msgs == null || msgs.isEmpty()) {
      return false;
    }
    out.append("> ").append(id).append(drop ? " dropping messages\n" : " receiving messages\n");
    for (Message m : msgs) {
      boolean lost = drop || cut(m);
      out.append("  ").append(Describe.message(m)).append(lost ? "  (dropped)" : "").append('\n');
      if (!lost) {
        nodes.get(id).raw.step(m);
      }
    }
    return true;
  }

  private void stabilize(List<Long> ids) {
    boolean busy = true;
    while (busy) {
      busy = false;
      for (long id : ids) {
        busy |= processReady(id);
      }
      for (long id : ids) {
        busy |= deliver(id, false);
      }
    }
  }

  private void log(long id) {
    Node n = nodes.get(id);
    long first = n.storage.firstIndex();
    long last = n.storage.lastIndex();
    if (n.storage.snapshot().index() > 0) {
      out.append(n.storage.snapshot()).append('\n');
    }
    if (last < first) {
      out.append("log is empty: first index=").append(first).append(", last index=").append(last);
      return;
    }
    for (Entry e : n.storage.entries(first, last + 1, Long.MAX_VALUE)) {
      out.append(Describe.entry(e)).append('\n');
    }
  }

  private void status(long id) {
    Status s = nodes.get(id).raw.status();
    out.append(id)
        .append(": ")
        .append(s.softState().role())
        .append(" term=")
        .append(s.hardState().term())
        .append(" lead=")
        .append(s.softState().leader())
        .append(" commit=")
        .append(s.hardState().commit())
        .append(" applied=")
        .append(s.applied())
        .append(" last=")
        .append(s.lastIndex())
        .append(' ')
        .append(s.confState())
        .append('\n');
    s.progress()
        .forEach(
            (member, p) -> out.append("  ").append(member).append(": ").append(p).append('\n'));
  }

  private void raftState() {
    for (Map.Entry<Long, Node> e : nodes.entrySet()) {
      Status s = e.getValue().raw.status();
      out.append(e.getKey())
          .append(": ")
          .append(s.softState().role())
          .append(" term=")
          .append(s.hardState().term())
          .append(" lead=")
          .append(s.softState().leader())
          .append(" commit=")
          .append(s.hardState().commit())
          .append('\n');
    }
  }

  /**
   * compact ID INDEX: snapshot the (pretend) state machine at INDEX (≤ applied) and drop the log up
   * to it.
   */
  private void compact(long id, long index) {
    Node n = nodes.get(id);
    if (index > n.applied) {
      throw new IllegalArgumentException("cannot compact beyond applied " + n.applied);
    }
    n.storage.createSnapshot(index, n.conf, utf8("state@" + index));
    n.storage.compact(index);
    log(id);
  }

  /**
   * restart ID: drop all volatile state and restart from storage (what a crash after the last Ready
   * does).
   */
  private void restart(long id) {
    Node n = nodes.get(id);
    inbox.remove(id);
    n.raw = new RawNode(n.config, n.storage);
    n.conf = n.storage.snapshot().confState();
    n.applied = n.storage.snapshot().index();
    out.append("restarted ").append(id).append(" at ").append(n.storage.hardState()).append('\n');
  }
}
