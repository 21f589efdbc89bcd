package io.pekkoetcd.grpc.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * etcd's messages as its gateway writes and reads them: grpc-gateway v1's {@code JSONPb{OrigName:
 * true}}, i.e. golang/protobuf's jsonpb. Written: fields in declaration order under their proto
 * names, zero values left out (a set message field is written even when empty), 64-bit integers as
 * strings, bytes as standard base64, enums by name, strings escaped as Go's {@code json.Marshal}
 * does ({@code <>&} as {@code \u003c}…). Read: proto or lowerCamelCase names, unknown fields and
 * nulls ignored, numbers also from strings, and every failure with the text Go gives for it, since
 * etcd answers it verbatim ({@link DecodeException}).
 *
 * <p>Pure and stateless: descriptors drive both directions, so every etcd message works.
 */
final class GatewayJson {
  private GatewayJson() {}

  /** A body that does not decode into the request message; the message is Go's. */
  static final class DecodeException extends Exception {
    DecodeException(String message) {
      super(message, null, false, false);
    }
  }

  // ---------------------------------------------------------------- writing

  /** {@code message} as etcd's gateway writes it. */
  static String print(Message message) {
    StringBuilder out = new StringBuilder();
    printMessage(message, out);
    return out.toString();
  }

  private static void printMessage(Message message, StringBuilder out) {
    out.append('{');
    boolean first = true;
    for (FieldDescriptor f : message.getDescriptorForType().getFields()) {
      if (!present(message, f)) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      quote(f.getName(), out);
      out.append(':');
      if (f.isRepeated()) {
        out.append('[');
        int n = message.getRepeatedFieldCount(f);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append(',');
          }
          printValue(f, message.getRepeatedField(f, i), out);
        }
        out.append(']');
      } else {
        printValue(f, message.getField(f), out);
      }
    }
    out.append('}');
  }

  /** jsonpb with EmitDefaults false: nil and zero are left out. */
  private static boolean present(Message message, FieldDescriptor f) {
    if (f.isRepeated()) {
      return message.getRepeatedFieldCount(f) > 0;
    }
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE || f.getContainingOneof() != null) {
      return message.hasField(f);
    }
    Object v = message.getField(f);
    return switch (f.getJavaType()) {
      case INT, LONG, FLOAT, DOUBLE -> ((Number) v).doubleValue() != 0;
      case BOOLEAN -> (Boolean) v;
      case STRING -> !((String) v).isEmpty();
      case BYTE_STRING -> !((ByteString) v).isEmpty();
      case ENUM -> ((EnumValueDescriptor) v).getNumber() != 0;
      case MESSAGE -> true;
    };
  }

  private static void printValue(FieldDescriptor f, Object v, StringBuilder out) {
    switch (f.getType()) {
      case INT64, SINT64, SFIXED64 -> out.append('"').append((long) (Long) v).append('"');
      case UINT64, FIXED64 -> out.append('"').append(Long.toUnsignedString((Long) v)).append('"');
      case INT32, SINT32, SFIXED32 -> out.append((int) (Integer) v);
      case UINT32, FIXED32 -> out.append(Integer.toUnsignedString((Integer) v));
      case BOOL -> out.append((boolean) (Boolean) v);
      case FLOAT, DOUBLE -> out.append(v);
      case STRING -> quote((String) v, out);
      case BYTES ->
          out.append('"')
              .append(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()))
              .append('"');
      case ENUM -> {
        EnumValueDescriptor e = (EnumValueDescriptor) v;
        // an unknown number is written as its Go String(): the number, quoted
        out.append('"')
            .append(e.getIndex() >= 0 ? e.getName() : String.valueOf(e.getNumber()))
            .append('"');
      }
      case MESSAGE, GROUP -> printMessage((Message) v, out);
    }
  }

  /** {@code s} as Go's {@code json.Marshal} writes a string (HTML-safe escaping). */
  static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  // ---------------------------------------------------------------- reading

  /** Fill {@code builder} from one value read by {@link GoJson} (jsonpb's UnmarshalNext). */
  static void read(GoJson.Value value, Message.Builder builder) throws DecodeException {
    readMessage(value, builder);
  }

  private static void readMessage(GoJson.Value value, Message.Builder builder)
      throws DecodeException {
    if (value instanceof GoJson.Null) {
      return;
    }
    if (!(value instanceof GoJson.Obj obj)) {
      throw typeError(value, "map[string]json.RawMessage");
    }
    Map<String, GoJson.Value> fields = obj.fields();
    List<FieldDescriptor> oneofs = new ArrayList<>();
    for (FieldDescriptor f : builder.getDescriptorForType().getFields()) {
      if (f.getContainingOneof() != null) {
        oneofs.add(f); // jsonpb reads oneof members after the plain fields
      } else {
        readField(fields, f, builder);
      }
    }
    for (FieldDescriptor f : oneofs) {
      readField(fields, f, builder);
    }
  }

  private static void readField(
      Map<String, GoJson.Value> fields, FieldDescriptor f, Message.Builder builder)
      throws DecodeException {
    // both names are accepted; if both are given, the camelCase one wins
    GoJson.Value v = fields.get(f.getJsonName());
    if (v == null) {
      v = fields.get(f.getName());
    }
    if (v == null || v instanceof GoJson.Null) {
      return;
    }
    if (!f.isRepeated()) {
      builder.setField(f, readValue(v, f, builder));
      return;
    }
    if (!(v instanceof GoJson.Arr arr)) {
      throw typeError(v, "[]json.RawMessage");
    }
    for (GoJson.Value item : arr.items()) {
      builder.addRepeatedField(f, readValue(item, f, builder));
    }
  }

  private static Object readValue(GoJson.Value v, FieldDescriptor f, Message.Builder parent)
      throws DecodeException {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      Message.Builder sub = parent.newBuilderForField(f);
      readMessage(v, sub);
      return sub.build();
    }
    if (f.getJavaType() == FieldDescriptor.JavaType.ENUM) {
      return readEnum(v, f);
    }
    // jsonpb drops the quotes around a quoted number and reads what is inside as JSON
    if (v instanceof GoJson.Str s && isNumeric(f)) {
      try {
        v = GoJson.unmarshal(s.raw());
      } catch (GoJson.SyntaxError e) {
        throw new DecodeException(e.getMessage());
      }
    }
    return switch (f.getType()) {
      case INT64, SINT64, SFIXED64 -> integer(v, goType(f), 64, true).longValue();
      case UINT64, FIXED64 -> integer(v, goType(f), 64, false).longValue();
      case INT32, SINT32, SFIXED32 -> integer(v, goType(f), 32, true).intValue();
      case UINT32, FIXED32 -> integer(v, goType(f), 32, false).intValue();
      case BOOL -> {
        if (v instanceof GoJson.Bool b) {
          yield b.value();
        }
        throw typeError(v, "bool");
      }
      case STRING -> {
        if (v instanceof GoJson.Str s) {
          yield s.text();
        }
        throw typeError(v, "string");
      }
      case BYTES -> bytes(v);
      case FLOAT, DOUBLE -> {
        if (v instanceof GoJson.Num n) {
          yield f.getType() == FieldDescriptor.Type.FLOAT
              ? (Object) Float.parseFloat(n.literal())
              : (Object) Double.parseDouble(n.literal());
        }
        throw typeError(v, f.getType() == FieldDescriptor.Type.FLOAT ? "float32" : "float64");
      }
      case MESSAGE, GROUP, ENUM -> throw new IllegalStateException("handled above");
    };
  }

  private static boolean isNumeric(FieldDescriptor f) {
    return switch (f.getJavaType()) {
      case INT, LONG, FLOAT, DOUBLE -> true;
      default -> false;
    };
  }

  private static EnumValueDescriptor readEnum(GoJson.Value v, FieldDescriptor f)
      throws DecodeException {
    String goName = goEnumName(f);
    if (v instanceof GoJson.Str s) {
      EnumValueDescriptor e = f.getEnumType().findValueByName(s.raw());
      if (e == null) {
        throw new DecodeException("unknown value \"" + s.raw() + "\" for enum " + goName);
      }
      return e;
    }
    int n = integer(v, goName, 32, true).intValue();
    return f.getEnumType().findValueByNumberCreatingIfUnknown(n);
  }

  /** A JSON number into a Go integer of {@code bits}, with encoding/json's errors. */
  private static BigInteger integer(GoJson.Value v, String goType, int bits, boolean signed)
      throws DecodeException {
    if (!(v instanceof GoJson.Num n)) {
      throw typeError(v, goType);
    }
    BigInteger value;
    try {
      value = new BigInteger(n.literal());
    } catch (NumberFormatException e) {
      throw new DecodeException(
          "json: cannot unmarshal number " + n.literal() + " into Go value of type " + goType);
    }
    BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
    BigInteger max =
        signed
            ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
            : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new DecodeException(
          "json: cannot unmarshal number " + n.literal() + " into Go value of type " + goType);
    }
    return value;
  }

  /**
   * A JSON string as standard base64 (or an array of byte values), as encoding/json reads []byte.
   */
  private static ByteString bytes(GoJson.Value v) throws DecodeException {
    if (v instanceof GoJson.Arr arr) {
      byte[] out = new byte[arr.items().size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) integer(arr.items().get(i), "uint8", 8, false).intValue();
      }
      return ByteString.copyFrom(out);
    }
    if (!(v instanceof GoJson.Str s)) {
      throw typeError(v, "[]uint8");
    }
    return ByteString.copyFrom(GoBase64.decode(s.text()));
  }

  private static DecodeException typeError(GoJson.Value v, String goType) {
    String kind = v.kind();
    return new DecodeException(
        "json: cannot unmarshal " + kind + " into Go value of type " + goType);
  }

  private static String goType(FieldDescriptor f) {
    return switch (f.getType()) {
      case INT64, SINT64, SFIXED64 -> "int64";
      case UINT64, FIXED64 -> "uint64";
      case INT32, SINT32, SFIXED32 -> "int32";
      case UINT32, FIXED32 -> "uint32";
      default -> f.getType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** The Go name of an enum type: package, then the nested names joined by '_'. */
  private static String goEnumName(FieldDescriptor f) {
    String pkg = f.getEnumType().getFile().getPackage();
    String full = f.getEnumType().getFullName();
    String local = pkg.isEmpty() ? full : full.substring(pkg.length() + 1);
    return pkg + "." + local.replace('.', '_');
  }
}
