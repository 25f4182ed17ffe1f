package dev.bundler.python;

import java.util.Objects;

/** One compatibility tag of a wheel: {@code cp311-cp311-manylinux_2_17_x86_64}. */
public record WheelTag(String python, String abi, String platform) {
  public WheelTag {
    Objects.requireNonNull(python, "python");
    Objects.requireNonNull(abi, "abi");
    Objects.requireNonNull(platform, "platform");
  }

  /** Parses {@code python-abi-platform}. */
  public static WheelTag parse(String text) {
    String[] parts = text.split("-");
    if (parts.length != 3) {
      throw new IllegalArgumentException("'" + text + "' is not a wheel tag");
    }
    return new WheelTag(parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return python + "-" + abi + "-" + platform;
  }
}
