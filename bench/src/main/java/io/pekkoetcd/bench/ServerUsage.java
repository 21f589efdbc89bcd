package io.pekkoetcd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and resident memory of server processes, summed over their pids, from {@code
 * /proc/<pid>/stat} (utime + stime, fields 14 and 15, in clock ticks) and {@code
 * /proc/<pid>/status} ({@code VmRSS}). A pid that has gone counts as zero.
 *
 * @param cpuTicks user + system clock ticks
 * @param rssKib resident set size in KiB
 */
record ServerUsage(long cpuTicks, long rssKib) {
  /** Linux's USER_HZ; {@code getconf CLK_TCK} is 100 on every mainstream kernel build. */
  static final int CLOCK_TICKS_PER_SECOND = 100;

  static ServerUsage sample(List<Long> pids) {
    long ticks = 0;
    long rss = 0;
    for (long pid : pids) {
      ticks += cpuTicks(pid);
      rss += rssKib(pid);
    }
    return new ServerUsage(ticks, rss);
  }

  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return parseCpuTicks(stat);
    } catch (IOException e) {
      return 0;
    }
  }

  /** utime + stime from a {@code /proc/<pid>/stat} line; the command name may hold spaces. */
  static long parseCpuTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // f[0] is field 3 (state), so field 14 (utime) is f[11] and field 15 (stime) is f[12].
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // gone
    }
    return 0;
  }
}
