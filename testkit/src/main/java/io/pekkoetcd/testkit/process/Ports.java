package io.pekkoetcd.testkit.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/** Free loopback ports for members started by tests, never the same twice in one JVM. */
public final class Ports {
  private Ports() {}

  /**
   * Ports are handed out from here up, below Linux's ephemeral range (32768–60999), wrapping
   * around.
   */
  private static final int FIRST_PORT = 10_000;

  private static final int LAST_PORT = 32_000;

  private static final AtomicInteger NEXT_PORT =
      new AtomicInteger(
          FIRST_PORT
              + new Random(ProcessHandle.current().pid() ^ System.nanoTime()).nextInt(20_000));

  /**
   * A loopback port nothing listens on now, never the same twice in this JVM. Not from the
   * ephemeral range ({@code new ServerSocket(0)} would be): there, between this check and the
   * member's bind, an outgoing connection (Artery, jetcd) could take it as its local port — seen in
   * CI as "Address already in use".
   */
  public static int freePort() throws IOException {
    for (int attempt = 0; attempt < LAST_PORT - FIRST_PORT; attempt++) {
      int port = NEXT_PORT.getAndUpdate(p -> p + 1 >= LAST_PORT ? FIRST_PORT : p + 1);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
        return port;
      } catch (IOException inUse) {
        // taken: try the next one
      }
    }
    throw new IOException("no free loopback port in " + FIRST_PORT + "–" + LAST_PORT);
  }
}
