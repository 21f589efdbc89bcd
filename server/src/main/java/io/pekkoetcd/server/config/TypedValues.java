package io.pekkoetcd.server.config;

import io.pekkoetcd.server.config.GoValues.BadValue;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The given raw values read as typed values: each accessor takes a flag's name, falls back to the
 * flag's default when it was not given, and parses with Go's rules ({@link GoValues}); a malformed
 * value is a {@link ConfigException} worded for where the value came from ({@link Given#invalid}).
 */
final class TypedValues {

  /** Maximum of Go's {@code uint} flags used by etcd for int-sized settings. */
  static final long UINT_MAX = Integer.MAX_VALUE;

  private final Map<String, Given> given;

  TypedValues(Map<String, Given> given) {
    this.given = given;
  }

  /** The flag's value as its {@link Flag.Kind} reads it. */
  Object typed(Flag flag) throws ConfigException {
    return switch (flag.kind()) {
      case STRING -> string(flag.name());
      case BOOL -> bool(flag.name());
      case UINT -> unsigned(flag.name(), UINT_MAX);
      case UINT64 -> unsigned(flag.name(), Long.MAX_VALUE);
      case INT64 -> int64(flag.name());
      case DURATION -> duration(flag.name());
      case URLS -> urls(flag.name());
      case LIST -> list(flag.name());
    };
  }

  /** The flag's default value, typed. */
  Object typedDefault(Flag flag) throws ConfigException {
    return new TypedValues(Map.of()).typed(flag);
  }

  boolean isGiven(String flag) {
    return given.containsKey(flag);
  }

  Given givenOrDefault(String name) {
    Given value = given.get(name);
    return value != null ? value : Given.defaultOf(EtcdFlags.get(name));
  }

  String string(String name) {
    return givenOrDefault(name).value();
  }

  String choice(String name, String... allowed) throws ConfigException {
    Given value = givenOrDefault(name);
    if (!Arrays.asList(allowed).contains(value.value())) {
      throw value.invalid(EtcdFlags.get(name), "invalid value");
    }
    return value.value();
  }

  boolean bool(String name) throws ConfigException {
    Given value = givenOrDefault(name);
    try {
      return GoValues.parseBool(value.value());
    } catch (BadValue e) {
      throw value.invalid(EtcdFlags.get(name), e.getMessage());
    }
  }

  long unsigned(String name, long max) throws ConfigException {
    Given value = givenOrDefault(name);
    try {
      return GoValues.parseUnsigned(value.value(), max);
    } catch (BadValue e) {
      throw value.invalid(EtcdFlags.get(name), e.getMessage());
    }
  }

  long int64(String name) throws ConfigException {
    Given value = givenOrDefault(name);
    try {
      return GoValues.parseInt64(value.value());
    } catch (BadValue e) {
      throw value.invalid(EtcdFlags.get(name), e.getMessage());
    }
  }

  Duration duration(String name) throws ConfigException {
    Given value = givenOrDefault(name);
    try {
      return GoValues.parseDuration(value.value());
    } catch (BadValue e) {
      // Go's flag package reports every malformed duration as "parse error".
      throw value.invalid(
          EtcdFlags.get(name),
          value.origin() == Given.Origin.FILE ? e.getMessage() : GoValues.PARSE_ERROR);
    }
  }

  List<URI> urls(String name) throws ConfigException {
    Given value = givenOrDefault(name);
    if (value.value().isEmpty() && EtcdFlags.get(name).defaultValue().isEmpty()) {
      return List.of();
    }
    try {
      return GoValues.parseUrls(value.value());
    } catch (BadValue e) {
      throw value.invalid(EtcdFlags.get(name), e.getMessage());
    }
  }

  List<String> list(String name) {
    String value = string(name);
    if (value.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
