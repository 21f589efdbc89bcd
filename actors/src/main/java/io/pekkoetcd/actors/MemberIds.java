package io.pekkoetcd.actors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * Member and cluster IDs derived exactly as etcd derives them, so that the same {@code
 * --initial-cluster} and {@code --initial-cluster-token} give the same IDs as etcd would (and every
 * member computes the same values).
 *
 * <ul>
 *   <li>member ID: the first 8 bytes (big-endian) of SHA-1 over the member's sorted peer URLs
 *       concatenated, followed by the cluster token;
 *   <li>cluster ID: the first 8 bytes of SHA-1 over the sorted member IDs, 8 big-endian bytes each.
 * </ul>
 */
public final class MemberIds {
  private MemberIds() {}

  public static long memberId(List<String> peerUrls, String clusterToken) {
    StringBuilder b = new StringBuilder();
    peerUrls.stream().sorted().forEach(b::append);
    b.append(clusterToken);
    return first8(sha1(b.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * @param initialCluster member name → that member's peer URLs
   */
  public static long clusterId(Map<String, List<String>> initialCluster, String clusterToken) {
    long[] ids =
        initialCluster.values().stream()
            .mapToLong(urls -> memberId(urls, clusterToken))
            .sorted()
            .toArray();
    ByteBuffer buf = ByteBuffer.allocate(8 * ids.length);
    // etcd sorts the IDs as unsigned 64-bit numbers.
    java.util.Arrays.stream(ids).boxed().sorted(Long::compareUnsigned).forEach(buf::putLong);
    return first8(sha1(buf.array()));
  }

  private static long first8(byte[] hash) {
    return ByteBuffer.wrap(hash, 0, 8).getLong();
  }

  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-1", e);
    }
  }
}
