package io.pekkoetcd.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.MethodDescriptor;
import io.pekkoetcd.protocol.etcdserverpb.PutRequest;
import io.pekkoetcd.protocol.etcdserverpb.RangeRequest;
import io.pekkoetcd.protocol.etcdserverpb.RequestOp;
import io.pekkoetcd.protocol.etcdserverpb.TxnRequest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What {@link LoadGen} sends: the n-th request of a run (n counts from 0 over all clients), as
 * etcd's benchmark builds it. Keys are numbers in the key space written as zig-zag varints (Go's
 * {@code binary.PutVarint}) into {@code keySize} bytes; the n-th key is {@code n % keySpaceSize}
 * with sequential keys, else drawn at random. The value is one random byte string, sent with every
 * put. Safe to call from many threads.
 *
 * <p>The {@code watch} workload's puts ({@link StampedPut}) go under a fresh random prefix and
 * carry their send time in the value; {@code lease-keepalive} sends no unary requests and has no
 * {@code Workload} ({@link KeepAliveLoop}).
 */
sealed interface Workload {
  MethodDescriptor<Message, Message> method();

  Message request(long n);

  static Workload of(LoadOptions o) {
    Keys keys = new Keys(o.keySize(), o.keySpaceSize(), o.sequentialKeys());
    byte[] value = new byte[o.valSize()];
    new Random(1).nextBytes(value);
    ByteString v = ByteString.copyFrom(value);
    return switch (o.workload()) {
      case "put" -> new Put(keys, v);
      case "range" -> new Range(keys, o.serializable());
      case "txn-put" -> new TxnPut(keys, v, o.txnOps());
      case "watch" -> new StampedPut(StampedPut.randomPrefix(), keys, v);
      default -> throw new IllegalArgumentException("unknown workload " + o.workload());
    };
  }

  /** {@code benchmark put}: one key per request. */
  record Put(Keys keys, ByteString value) implements Workload {
    @Override
    public MethodDescriptor<Message, Message> method() {
      return EtcdCalls.PUT;
    }

    @Override
    public Message request(long n) {
      return PutRequest.newBuilder().setKey(keys.key(n)).setValue(value).build();
    }
  }

  /** {@code benchmark range}: one key per request, linearizable or serializable. */
  record Range(Keys keys, boolean serializable) implements Workload {
    @Override
    public MethodDescriptor<Message, Message> method() {
      return EtcdCalls.RANGE;
    }

    @Override
    public Message request(long n) {
      return RangeRequest.newBuilder().setKey(keys.key(n)).setSerializable(serializable).build();
    }
  }

  /** {@code benchmark txn-put}: a transaction of {@code ops} puts and no comparisons. */
  record TxnPut(Keys keys, ByteString value, int ops) implements Workload {
    @Override
    public MethodDescriptor<Message, Message> method() {
      return EtcdCalls.TXN;
    }

    @Override
    public Message request(long n) {
      TxnRequest.Builder txn = TxnRequest.newBuilder();
      for (int i = 0; i < ops; i++) {
        PutRequest put =
            PutRequest.newBuilder().setKey(keys.key(n * ops + i)).setValue(value).build();
        txn.addSuccess(RequestOp.newBuilder().setRequestPut(put));
      }
      return txn.build();
    }
  }

  /**
   * {@code benchmark watch}'s puts: key {@code prefix + key(n)}; the value's first 8 bytes are the
   * {@link System#nanoTime()} at which the request was built (big-endian), so a watcher in the same
   * JVM reads the delivery latency off the event; the rest is {@code padding}'s first bytes, up to
   * its size ({@code --val-size}, at least 8).
   */
  record StampedPut(ByteString prefix, Keys keys, ByteString padding) implements Workload {
    @Override
    public MethodDescriptor<Message, Message> method() {
      return EtcdCalls.PUT;
    }

    @Override
    public Message request(long n) {
      return PutRequest.newBuilder()
          .setKey(prefix.concat(keys.key(n)))
          .setValue(stamped(System.nanoTime(), padding))
          .build();
    }

    /** A prefix no earlier run used: {@code /loadgen-watch/<16 random hex digits>/}. */
    static ByteString randomPrefix() {
      return ByteString.copyFromUtf8(
          "/loadgen-watch/"
              + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
              + "/");
    }

    /** {@code padding} with its first 8 bytes replaced by {@code nanos}, big-endian. */
    static ByteString stamped(long nanos, ByteString padding) {
      byte[] value = new byte[Math.max(8, padding.size())];
      for (int i = 0; i < 8; i++) {
        value[i] = (byte) (nanos >>> (56 - 8 * i));
      }
      if (padding.size() > 8) {
        padding.copyTo(value, 8, 8, padding.size() - 8);
      }
      return UnsafeByteOperations.unsafeWrap(value);
    }

    /**
     * The time stamp of a {@link #stamped} value, which must hold at least 8 bytes (any long is a
     * {@link System#nanoTime()}, so there is no value to mean "none").
     */
    static long stamp(ByteString value) {
      long nanos = 0;
      for (int i = 0; i < 8; i++) {
        nanos = (nanos << 8) | (value.byteAt(i) & 0xFF);
      }
      return nanos;
    }
  }

  /** The key space: numbers in {@code [0, size)}, each written into {@code bytes} bytes. */
  record Keys(int bytes, int size, boolean sequential) {
    ByteString key(long n) {
      long k = sequential ? n % size : ThreadLocalRandom.current().nextInt(size);
      return ByteString.copyFrom(varint(k, bytes));
    }

    /** Go's {@code binary.PutVarint(make([]byte, bytes), k)}: zig-zag, then 7 bits a byte. */
    static byte[] varint(long k, int bytes) {
      byte[] out = new byte[bytes];
      long u = (k << 1) ^ (k >> 63);
      for (int i = 0; i < bytes; i++) {
        if ((u & ~0x7FL) == 0) {
          out[i] = (byte) u;
          break;
        }
        out[i] = (byte) ((u & 0x7F) | 0x80);
        u >>>= 7;
      }
      return out;
    }
  }
}
