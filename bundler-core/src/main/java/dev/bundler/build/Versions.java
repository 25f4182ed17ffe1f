package dev.bundler.build;

import dev.bundler.BundleRequest;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.lock.Lockfile;
import dev.bundler.python.Names;
import dev.bundler.python.Pep440Version;
import dev.bundler.python.WheelFilename;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The application's version when {@code package} names none ({@code milborne} alone): the
 * one the lockfile pins, else the newest the wheelhouse or the find-links directories offer, as
 * pip picks it (the highest final release, pre-releases only when there is nothing else). With an
 * index, only pip knows: the version is then read from the wheelhouse pip builds.
 */
final class Versions {
  private Versions() {}

  /** {@code request} with its application's version found, or as it is if that takes pip. */
  static BundleRequest pin(BundleRequest request, EventHandler events)
      throws InvalidInputException, IOException {
    if (request.application().pinned()) {
      return request;
    }
    String name = request.application().name();
    Path lockFile = request.lockFile();
    if (lockFile != null && Files.isRegularFile(lockFile)) {
      List<Lockfile.Wheel> wheels = Lockfile.read(lockFile).wheels();
      if (!wheels.isEmpty() && Names.normalize(wheels.get(0).name()).equals(Names.normalize(name))) {
        events.info("Bundling " + name + " " + wheels.get(0).version() + ", the version "
            + lockFile + " pins");
        return request.withVersion(wheels.get(0).version());
      }
    }
    List<Path> directories = new ArrayList<>();
    if (request.wheelhouse() != null) {
      directories.add(request.wheelhouse());
    } else if (request.compile().index() != null || request.compile().pipConf() != null
        || request.compile().findLinks().stream().anyMatch(l -> l.contains("://"))) {
      return request; // pip chooses; the version comes from the wheelhouse it builds
    } else {
      request.compile().findLinks().forEach(link -> directories.add(Path.of(link)));
    }
    Pep440Version newest = newest(name, directories);
    if (newest == null) {
      throw new InvalidInputException(Parameter.PACKAGE, "No version of " + name + " is offered by "
          + directories + ": give " + Parameter.PACKAGE.withValue(name + "==VERSION") + ", or add "
          + "its wheel or source distribution there");
    }
    events.info("Bundling " + name + " " + newest + ", the newest version " + (request.wheelhouse()
        != null ? "the wheelhouse" : "the find-links") + " offer");
    return request.withVersion(newest.toString());
  }

  /**
   * The version of {@code name} pip would take from {@code directories} (wheels and source
   * distributions): the highest final release, else the highest pre-release.
   */
  static Pep440Version newest(String name, List<Path> directories) throws IOException {
    String wanted = Names.normalize(name);
    Pep440Version bestFinal = null;
    Pep440Version bestAny = null;
    for (Path directory : directories) {
      if (!Files.isDirectory(directory)) {
        continue;
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
        for (Path file : files) {
          Pep440Version version = versionOf(file.getFileName().toString(), wanted);
          if (version == null) {
            continue;
          }
          if (bestAny == null || version.compareTo(bestAny) > 0) {
            bestAny = version;
          }
          if (!version.isPrerelease() && !version.isDevrelease()
              && (bestFinal == null || version.compareTo(bestFinal) > 0)) {
            bestFinal = version;
          }
        }
      }
    }
    return bestFinal != null ? bestFinal : bestAny;
  }

  private static Pep440Version versionOf(String fileName, String wanted) {
    if (fileName.endsWith(".whl")) {
      try {
        WheelFilename wheel = WheelFilename.parse(fileName);
        return Names.normalize(wheel.name()).equals(wanted) ? wheel.version() : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    String[] source = WheelReuse.source(fileName);
    return source != null && source[0].equals(wanted) ? Pep440Version.parse(source[1]) : null;
  }
}
