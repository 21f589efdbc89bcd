package io.pekkoetcd.multijvm.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network partitions between member addresses with iptables DROP rules, all in this suite's own
 * chain {@value #CHAIN} of the filter table, jumped to from INPUT and OUTPUT. {@link #open} creates
 * (or flushes) the chain and its jumps; {@link #heal} flushes it; {@link #close} flushes it,
 * removes the jumps and deletes it. No other chain or rule is touched. Clients (from 127.0.0.1) are
 * never cut off: only traffic between two member addresses matches.
 *
 * <p>Under DROP, TCP retransmits: messages sent across a partition arrive late (after it heals),
 * not never (STACK.md).
 *
 * <p>Needs root; {@link #open} fails with one line if the suite is not root or iptables is missing,
 * never skips.
 */
public final class Firewall implements AutoCloseable {
  public static final String CHAIN = "PEKKO_ETCD_MJVM";

  private Firewall() {}

  /** Checks root and iptables, then creates or flushes the chain and jumps to it. */
  public static Firewall open() throws Exception {
    requireRoot();
    Firewall f = new Firewall();
    if (!f.run(false, "-N", CHAIN)) {
      f.iptables("-F", CHAIN);
    }
    for (String builtin : List.of("INPUT", "OUTPUT")) {
      if (!f.run(false, "-C", builtin, "-j", CHAIN)) {
        f.iptables("-I", builtin, "1", "-j", CHAIN);
      }
    }
    return f;
  }

  private static void requireRoot() throws Exception {
    Process id = new ProcessBuilder("id", "-u").start();
    String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    id.waitFor(10, TimeUnit.SECONDS);
    if (!uid.equals("0")) {
      throw new AssertionError(
          "multi-jvm-tests need root (iptables partitions between member addresses): run them as"
              + " root, as CI does (uid is "
              + uid
              + ")");
    }
    try {
      new ProcessBuilder("iptables", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException missing) {
      throw new AssertionError(
          "multi-jvm-tests need iptables (Debian package iptables; bin/test installs it)");
    }
  }

  /** Drops every packet from {@code from} to {@code to}: a one-way partition. */
  public void dropOneWay(String from, String to) throws Exception {
    iptables("-A", CHAIN, "-s", from, "-d", to, "-j", "DROP");
  }

  /** Cuts every address of {@code a} from every address of {@code b}, both ways. */
  public void partition(Collection<String> a, Collection<String> b) throws Exception {
    for (String x : a) {
      for (String y : b) {
        dropOneWay(x, y);
        dropOneWay(y, x);
      }
    }
  }

  /** Removes every rule: the network is whole again. */
  public void heal() throws Exception {
    iptables("-F", CHAIN);
  }

  /** The chain's rules as {@code iptables -S} prints them. */
  public List<String> rules() throws Exception {
    Process p = new ProcessBuilder("iptables", "-S", CHAIN).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return new ArrayList<>(out.lines().filter(l -> l.startsWith("-A")).toList());
  }

  /** Flushes the chain, removes the jumps to it and deletes it; best effort, all steps tried. */
  @Override
  public void close() throws Exception {
    run(false, "-F", CHAIN);
    for (String builtin : List.of("INPUT", "OUTPUT")) {
      while (run(false, "-D", builtin, "-j", CHAIN)) {
        // a jump added twice (an earlier run that died) is removed too
      }
    }
    run(false, "-X", CHAIN);
  }

  private void iptables(String... args) throws Exception {
    run(true, args);
  }

  /** Runs iptables (with -w: wait for the xtables lock); false if it failed and may. */
  private boolean run(boolean mustSucceed, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + " hung");
    }
    if (p.exitValue() != 0 && mustSucceed) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.trim());
    }
    return p.exitValue() == 0;
  }
}
