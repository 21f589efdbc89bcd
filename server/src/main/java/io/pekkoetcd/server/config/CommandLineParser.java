package io.pekkoetcd.server.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * etcd's command line, read with picocli driven by the flag table {@link EtcdFlags}, with Go's
 * flag-package rules: {@code --foo-bar value}, {@code --foo-bar=value}, one dash as well as two;
 * booleans alone ({@code --enable-pprof}) or with a value ({@code --enable-pprof=false}); a
 * repeated flag's last value wins; parsing stops at {@code --}. An unknown flag is {@code flag
 * provided but not defined: -foo}; a stray argument is {@code 'x' is not a valid flag}; a flag
 * without its value is {@code flag needs an argument: -foo}. Values are returned raw, typed later
 * by {@link TypedValues}.
 */
final class CommandLineParser {

  /**
   * What the command line said.
   *
   * @param values the raw value of each flag given, by flag name (no dashes), in command-line order
   */
  record Values(Map<String, String> values, boolean help, boolean version) {}

  private CommandLineParser() {}

  private static CommandSpec commandSpec() {
    CommandSpec spec = CommandSpec.create().name("pekko-etcd");
    spec.parser()
        .unmatchedArgumentsAllowed(true)
        .overwrittenOptionsAllowed(true)
        .expandAtFiles(false)
        .posixClusteredShortOptionsAllowed(false)
        .trimQuotes(false)
        .splitQuotedStrings(false);
    for (Flag flag : EtcdFlags.ALL) {
      OptionSpec.Builder option =
          OptionSpec.builder("--" + flag.name(), "-" + flag.name())
              .type(String.class)
              .paramLabel("value");
      if (flag.isBool()) {
        option.arity("0..1").fallbackValue("true");
      } else {
        option.arity("1");
      }
      spec.addOption(option.build());
    }
    spec.addOption(
        OptionSpec.builder("--help", "-help", "-h").arity("0").type(boolean.class).build());
    spec.addOption(
        OptionSpec.builder("--version", "-version").arity("0").type(boolean.class).build());
    return spec;
  }

  static Values parse(String[] args) throws ConfigException {
    // Go's flag package stops at "--": whatever follows is an argument, and etcd takes no
    // arguments.
    int end = Arrays.asList(args).indexOf("--");
    if (end >= 0 && end + 1 < args.length) {
      throw new ConfigException("'" + args[end + 1] + "' is not a valid flag");
    }
    CommandLine.ParseResult result;
    try {
      result = new CommandLine(commandSpec()).parseArgs(end < 0 ? args : Arrays.copyOf(args, end));
    } catch (CommandLine.MissingParameterException e) {
      String flag =
          e.getMissing().stream().findFirst().map(CommandLineParser::flagName).orElse("?");
      throw new ConfigException("flag needs an argument: -" + flag);
    } catch (CommandLine.ParameterException e) {
      throw new ConfigException(e.getMessage());
    }
    if (!result.unmatched().isEmpty()) {
      String first = result.unmatched().get(0);
      if (first.startsWith("-") && first.length() > 1 && !first.equals("--")) {
        String name = first.substring(first.startsWith("--") ? 2 : 1);
        int eq = name.indexOf('=');
        throw new ConfigException(
            "flag provided but not defined: -" + (eq < 0 ? name : name.substring(0, eq)));
      }
      throw new ConfigException("'" + first + "' is not a valid flag");
    }
    Map<String, String> values = new LinkedHashMap<>();
    boolean help = false;
    boolean version = false;
    for (OptionSpec option : result.matchedOptions()) {
      String name = flagName(option);
      switch (name) {
        case "help" -> help = true;
        case "version" -> version = true;
        default -> values.put(name, option.getValue());
      }
    }
    return new Values(values, help, version);
  }

  private static String flagName(ArgSpec arg) {
    return arg instanceof OptionSpec option
        ? option.longestName().replaceFirst("^--?", "")
        : arg.paramLabel();
  }
}
