package io.pekkoetcd.server.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Value parsing exactly as etcd's Go flags do it, so that a value etcd accepts is accepted here and
 * a value it rejects is rejected with the same reason: {@code strconv.ParseBool}, {@code
 * ParseUint}/{@code ParseInt} ("parse error", "value out of range"), {@code time.ParseDuration},
 * and etcd's {@code types.NewURLs} (scheme http/https/unix/unixs, {@code host:port}, no path).
 *
 * <p>Every method throws {@link BadValue} carrying only the reason; the caller adds which flag,
 * variable or config key it came from.
 */
final class GoValues {

  /** A malformed value; the message is the reason only (e.g. "parse error"). */
  static final class BadValue extends Exception {
    private static final long serialVersionUID = 1L;

    BadValue(String reason) {
      super(reason, null, false, false);
    }
  }

  static final String PARSE_ERROR = "parse error";

  private GoValues() {}

  static boolean parseBool(String s) throws BadValue {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new BadValue(PARSE_ERROR);
    };
  }

  /** An unsigned decimal at most {@code max}. */
  static long parseUnsigned(String s, long max) throws BadValue {
    if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new BadValue(PARSE_ERROR);
    }
    BigInteger value = new BigInteger(s);
    if (value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new BadValue("value out of range");
    }
    return value.longValueExact();
  }

  static long parseInt64(String s) throws BadValue {
    String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new BadValue(PARSE_ERROR);
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new BadValue("value out of range");
    }
  }

  private static final Map<String, Long> UNIT_NANOS =
      Map.of(
          "ns",
          1L,
          "us",
          1_000L,
          "µs",
          1_000L,
          "μs",
          1_000L,
          "ms",
          1_000_000L,
          "s",
          1_000_000_000L,
          "m",
          60_000_000_000L,
          "h",
          3_600_000_000_000L);

  /**
   * Go's {@code time.ParseDuration}: a possibly signed sequence of decimal numbers with a unit each
   * ("300ms", "1.5h", "2h45m"); "0" alone needs no unit.
   *
   * @throws BadValue with Go's own wording, {@code time: invalid duration "x"} (or {@code missing
   *     unit})
   */
  static Duration parseDuration(String s) throws BadValue {
    String quoted = "\"" + s + "\"";
    String rest = s;
    boolean negative = false;
    if (rest.startsWith("-") || rest.startsWith("+")) {
      negative = rest.charAt(0) == '-';
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return Duration.ZERO;
    }
    if (rest.isEmpty()) {
      throw new BadValue("time: invalid duration " + quoted);
    }
    BigDecimal totalNanos = BigDecimal.ZERO;
    int i = 0;
    while (i < rest.length()) {
      int numberStart = i;
      while (i < rest.length() && (Character.isDigit(rest.charAt(i)) || rest.charAt(i) == '.')) {
        i++;
      }
      String number = rest.substring(numberStart, i);
      if (number.isEmpty()
          || number.equals(".")
          || number.indexOf('.') != number.lastIndexOf('.')) {
        throw new BadValue("time: invalid duration " + quoted);
      }
      int unitStart = i;
      while (i < rest.length() && !Character.isDigit(rest.charAt(i)) && rest.charAt(i) != '.') {
        i++;
      }
      String unit = rest.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw new BadValue("time: missing unit in duration " + quoted);
      }
      Long nanosPerUnit = UNIT_NANOS.get(unit);
      if (nanosPerUnit == null) {
        throw new BadValue("time: unknown unit \"" + unit + "\" in duration " + quoted);
      }
      totalNanos =
          totalNanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(nanosPerUnit)));
    }
    if (totalNanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new BadValue("time: invalid duration " + quoted);
    }
    long nanos = totalNanos.longValue();
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  /**
   * etcd's {@code types.NewURLs} over a comma-separated list, keeping the given order and dropping
   * duplicates.
   */
  static List<URI> parseUrls(String commaSeparated) throws BadValue {
    List<URI> urls = new ArrayList<>();
    for (String part : commaSeparated.split(",", -1)) {
      URI url = parseUrl(part.strip());
      if (!urls.contains(url)) {
        urls.add(url);
      }
    }
    return List.copyOf(urls);
  }

  /** One URL as etcd's {@code types.NewURLs} accepts it. */
  static URI parseUrl(String in) throws BadValue {
    String scheme = scheme(in);
    if (scheme.isEmpty()) {
      int slash = in.indexOf('/');
      String firstSegment = slash < 0 ? in : in.substring(0, slash);
      if (firstSegment.contains(":")) {
        throw new BadValue("parse \"" + in + "\": first path segment in URL cannot contain colon");
      }
    }
    String lower = scheme.toLowerCase(java.util.Locale.ROOT);
    if (!lower.equals("http")
        && !lower.equals("https")
        && !lower.equals("unix")
        && !lower.equals("unixs")) {
      throw new BadValue("URL scheme must be http, https, unix, or unixs: " + in);
    }
    String afterScheme = in.substring(scheme.length() + 1);
    String host = "";
    String path = "";
    if (afterScheme.startsWith("//")) {
      String authorityAndPath = stripQueryAndFragment(afterScheme.substring(2));
      int slash = authorityAndPath.indexOf('/');
      String authority = slash < 0 ? authorityAndPath : authorityAndPath.substring(0, slash);
      path = slash < 0 ? "" : authorityAndPath.substring(slash);
      host = authority.substring(authority.lastIndexOf('@') + 1);
    }
    if (!hasHostPortForm(host)) {
      throw new BadValue("URL address does not have the form \"host:port\": " + in);
    }
    if (!path.isEmpty()) {
      throw new BadValue("URL must not contain a path: " + in);
    }
    try {
      return new URI(in);
    } catch (URISyntaxException e) {
      throw new BadValue("parse \"" + in + "\": " + e.getReason());
    }
  }

  /**
   * Go's {@code getScheme}: letters first, then letters, digits, '+', '-', '.' up to ':'; "" when
   * there is none.
   */
  private static String scheme(String in) throws BadValue {
    for (int i = 0; i < in.length(); i++) {
      char c = in.charAt(i);
      if (Character.isLetter(c) && c < 128) {
        continue;
      }
      if ((Character.isDigit(c) || c == '+' || c == '-' || c == '.') && c < 128) {
        if (i == 0) {
          return "";
        }
        continue;
      }
      if (c == ':') {
        if (i == 0) {
          throw new BadValue("parse \"" + in + "\": missing protocol scheme");
        }
        return in.substring(0, i);
      }
      return "";
    }
    return "";
  }

  private static String stripQueryAndFragment(String s) {
    int cut = s.length();
    int q = s.indexOf('?');
    int h = s.indexOf('#');
    if (q >= 0) {
      cut = Math.min(cut, q);
    }
    if (h >= 0) {
      cut = Math.min(cut, h);
    }
    return s.substring(0, cut);
  }

  /**
   * Go's {@code net.SplitHostPort} succeeds: "host:port", "[v6]:port"; the port may be empty, as in
   * Go.
   */
  private static boolean hasHostPortForm(String hostPort) {
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      return close > 0
          && close + 1 < hostPort.length()
          && hostPort.charAt(close + 1) == ':'
          && hostPort.indexOf(':', close + 2) < 0;
    }
    int colon = hostPort.lastIndexOf(':');
    return colon >= 0
        && hostPort.indexOf(':') == colon
        && hostPort.indexOf('[') < 0
        && hostPort.indexOf(']') < 0;
  }
}
