package dev.bundler.testkit;

import dev.bundler.apt.BinaryPackage;
import dev.bundler.apt.DebianBase;
import dev.bundler.apt.Downloader;
import dev.bundler.apt.Slimming;
import dev.bundler.events.EventHandler;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.Layer;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerWriter;
import dev.bundler.layer.PlannedLayer;
import dev.bundler.rootfs.SystemUsers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes the Debian layers of a package set, as a build does, for tests of the base stage. */
public final class DebianLayers {
  private DebianLayers() {}

  /**
   * The layers of {@code packages} (documentation kept, as the packages ship it), written into a
   * layer cache under {@code layers}; packages are unpacked under {@code scratch}.
   */
  public static List<Layer> write(Downloader downloader, List<BinaryPackage> packages,
      SystemUsers users, String architecture, Path layers, Path scratch, EventHandler events)
      throws Exception {
    LayerCache cache = LayerCache.at(layers, CacheSeal.withKey(new byte[] {1}));
    List<Layer> written = new ArrayList<>();
    try (DebianBase base = new DebianBase(downloader, scratch, events, Slimming.of(true))) {
      for (PlannedLayer layer : base.layers(packages, users, architecture)) {
        written.add(cache.computeIfAbsent(layer.key(), layer.description(), LayerWriter.create(),
            layer.source()));
      }
    }
    return written;
  }
}
