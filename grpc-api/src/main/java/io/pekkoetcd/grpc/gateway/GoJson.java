package io.pekkoetcd.grpc.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON reader that fails exactly as Go's {@code encoding/json} does, because etcd's gateway
 * answers a malformed body with Go's error text ({@code "invalid character 'x' looking for
 * beginning of value"}, {@code "unexpected EOF"}). It reads bytes, like Go's scanner, so an invalid
 * character is quoted as Go quotes one byte.
 *
 * <p>{@link #next} reads one value the way {@code json.Decoder.Decode} does (what grpc-gateway uses
 * for request bodies): leading whitespace is skipped, whatever follows the value is left unread, a
 * body with nothing but whitespace is {@link End}, a value cut off is "unexpected EOF". {@link
 * #unmarshal} reads a whole document the way {@code json.Unmarshal} does ("unexpected end of JSON
 * input", "after top-level value"). Pure: no I/O, no state beyond the position.
 */
final class GoJson {
  /** A parsed JSON value; strings keep their raw text (jsonpb re-reads quoted numbers from it). */
  sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {
    /** What encoding/json calls this kind of value in its type errors. */
    String kind();
  }

  record Obj(Map<String, Value> fields) implements Value {
    @Override
    public String kind() {
      return "object";
    }
  }

  record Arr(List<Value> items) implements Value {
    @Override
    public String kind() {
      return "array";
    }
  }

  /** A string: its decoded text and the raw bytes between its quotes. */
  record Str(String text, String raw) implements Value {
    @Override
    public String kind() {
      return "string";
    }
  }

  /** A number: its literal text as written. */
  record Num(String literal) implements Value {
    @Override
    public String kind() {
      return "number";
    }
  }

  record Bool(boolean value) implements Value {
    @Override
    public String kind() {
      return "bool";
    }
  }

  record Null() implements Value {
    @Override
    public String kind() {
      return "null";
    }
  }

  /** What {@link #next} read: a value, the end of the input, or Go's error. */
  sealed interface Read permits Parsed, End, Failed {}

  record Parsed(Value value) implements Read {}

  record End() implements Read {}

  record Failed(String message) implements Read {}

  /** A syntax error with Go's message; also thrown for a value cut off by the end of input. */
  static final class SyntaxError extends Exception {
    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  private static final String CUT_OFF = "\u0000cut-off";

  private final byte[] in;
  private int pos;

  GoJson(byte[] in) {
    this.in = in;
  }

  /** The position after the last value read. */
  int position() {
    return pos;
  }

  /** The next value, as {@code json.Decoder.Decode} reads it. */
  Read next() {
    skipSpace();
    if (pos >= in.length) {
      return new End();
    }
    try {
      return new Parsed(value());
    } catch (SyntaxError e) {
      return new Failed(CUT_OFF.equals(e.getMessage()) ? "unexpected EOF" : e.getMessage());
    }
  }

  /** The whole of {@code text} as one value, as {@code json.Unmarshal} reads it. */
  static Value unmarshal(String text) throws SyntaxError {
    GoJson json = new GoJson(text.getBytes(StandardCharsets.UTF_8));
    try {
      json.skipSpace();
      if (json.pos >= json.in.length) {
        throw new SyntaxError(CUT_OFF);
      }
      Value v = json.value();
      json.skipSpace();
      if (json.pos < json.in.length) {
        throw json.invalid("after top-level value");
      }
      return v;
    } catch (SyntaxError e) {
      throw CUT_OFF.equals(e.getMessage()) ? new SyntaxError("unexpected end of JSON input") : e;
    }
  }

  private Value value() throws SyntaxError {
    skipSpace();
    if (pos >= in.length) {
      throw new SyntaxError(CUT_OFF);
    }
    int c = in[pos] & 0xff;
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", new Bool(true));
      case 'f' -> literal("false", new Bool(false));
      case 'n' -> literal("null", new Null());
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw invalid("looking for beginning of value");
      }
    };
  }

  private Obj object() throws SyntaxError {
    pos++; // '{'
    Map<String, Value> fields = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return new Obj(fields);
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw invalid("looking for beginning of object key string");
      }
      String key = string().text();
      skipSpace();
      if (peek() != ':') {
        throw invalid("after object key");
      }
      pos++;
      fields.put(key, value());
      skipSpace();
      int c = peek();
      if (c == ',') {
        pos++;
      } else if (c == '}') {
        pos++;
        return new Obj(fields);
      } else {
        throw invalid("after object key:value pair");
      }
    }
  }

  private Arr array() throws SyntaxError {
    pos++; // '['
    List<Value> items = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return new Arr(items);
    }
    while (true) {
      items.add(value());
      skipSpace();
      int c = peek();
      if (c == ',') {
        pos++;
      } else if (c == ']') {
        pos++;
        return new Arr(items);
      } else {
        throw invalid("after array element");
      }
    }
  }

  private Str string() throws SyntaxError {
    int start = ++pos; // after '"'
    StringBuilder text = new StringBuilder();
    int runStart = pos;
    while (true) {
      int c = peek();
      if (c < 0) {
        throw new SyntaxError(CUT_OFF);
      }
      if (c == '"') {
        text.append(new String(in, runStart, pos - runStart, StandardCharsets.UTF_8));
        String raw = new String(in, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        return new Str(text.toString(), raw);
      }
      if (c < 0x20) {
        throw invalid("in string literal");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      text.append(new String(in, runStart, pos - runStart, StandardCharsets.UTF_8));
      pos++;
      int e = peek();
      switch (e) {
        case -1 -> throw new SyntaxError(CUT_OFF);
        case '"', '\\', '/' -> text.append((char) e);
        case 'b' -> text.append('\b');
        case 'f' -> text.append('\f');
        case 'n' -> text.append('\n');
        case 'r' -> text.append('\r');
        case 't' -> text.append('\t');
        case 'u' -> {
          int code = 0;
          for (int i = 0; i < 4; i++) {
            pos++;
            int h = peek();
            if (h < 0) {
              throw new SyntaxError(CUT_OFF);
            }
            int d = Character.digit(h, 16);
            if (d < 0) {
              throw invalid("in \\u hexadecimal character escape");
            }
            code = code * 16 + d;
          }
          text.append((char) code);
        }
        default -> throw invalid("in string escape code");
      }
      pos++;
      runStart = pos;
    }
  }

  private Num number() throws SyntaxError {
    int start = pos;
    if (peek() == '-') {
      pos++;
      if (!isDigit(peek())) {
        throw peek() < 0 ? new SyntaxError(CUT_OFF) : invalid("in numeric literal");
      }
    }
    if (peek() == '0') {
      pos++;
    } else {
      digits();
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw peek() < 0
            ? new SyntaxError(CUT_OFF)
            : invalid("after decimal point in numeric literal");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw peek() < 0 ? new SyntaxError(CUT_OFF) : invalid("in exponent of numeric literal");
      }
      digits();
    }
    return new Num(new String(in, start, pos - start, StandardCharsets.US_ASCII));
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private Value literal(String word, Value value) throws SyntaxError {
    for (int i = 0; i < word.length(); i++) {
      int c = peek();
      if (c < 0) {
        throw new SyntaxError(CUT_OFF);
      }
      if (c != word.charAt(i)) {
        throw invalid("in literal " + word + " (expecting '" + word.charAt(i) + "')");
      }
      pos++;
    }
    return value;
  }

  private void skipSpace() {
    while (pos < in.length
        && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
      pos++;
    }
  }

  private int peek() {
    return pos < in.length ? in[pos] & 0xff : -1;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** Go's syntax error for the byte at the position, or a cut-off value at the end of input. */
  private SyntaxError invalid(String context) {
    if (pos >= in.length) {
      return new SyntaxError(CUT_OFF);
    }
    return new SyntaxError("invalid character " + quoteChar(in[pos] & 0xff) + " " + context);
  }

  /** Go's {@code quoteChar}: one byte as a rune in single quotes, escaped as strconv.Quote does. */
  static String quoteChar(int c) {
    if (c == '\'') {
      return "'\\''";
    }
    if (c == '"') {
      return "'\"'";
    }
    String s =
        switch (c) {
          case 7 -> "\\a";
          case '\b' -> "\\b";
          case '\f' -> "\\f";
          case '\n' -> "\\n";
          case '\r' -> "\\r";
          case '\t' -> "\\t";
          case 0x0b -> "\\v";
          case '\\' -> "\\\\";
          default -> {
            if (c < 0x20 || c == 0x7f) {
              yield String.format("\\x%02x", c);
            }
            if ((c >= 0x80 && c <= 0xa0) || c == 0xad) {
              yield String.format("\\u%04x", c);
            }
            yield String.valueOf((char) c);
          }
        };
    return "'" + s + "'";
  }
}
