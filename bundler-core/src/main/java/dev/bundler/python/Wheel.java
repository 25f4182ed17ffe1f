package dev.bundler.python;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.layer.Digests;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * An opened, verified wheel: its name says it runs on the target, its {@code .dist-info} agrees
 * with its name, every file is listed in {@code RECORD} with the right hash and size, and no path
 * could land outside the virtualenv.
 *
 * <p>Every failure is an {@link InvalidInputException} naming the wheel, the entry and the
 * parameter that brought the wheel in.
 */
public final class Wheel implements Closeable {
  private static final Set<String> UNRECORDED = Set.of("RECORD", "RECORD.jws", "RECORD.p7s");

  private final Path file;
  private final Parameter parameter;
  private final WheelFilename filename;
  private ZipFile zip; // opened on first use in a wheel made from a description
  private final String distInfo;
  private final String metadataText;
  private final WheelMetadata metadata;
  private final boolean purelib;
  private final List<String> files;
  private final Map<String, WheelRecord.Row> record;
  private final List<EntryPoints.Script> scripts;
  private final String sha256;

  private Wheel(Path file, Parameter parameter, WheelFilename filename, ZipFile zip,
      String distInfo, String metadataText, boolean purelib, List<String> files,
      Map<String, WheelRecord.Row> record, List<EntryPoints.Script> scripts, String sha256) {
    this.file = file;
    this.parameter = parameter;
    this.filename = filename;
    this.zip = zip;
    this.distInfo = distInfo;
    this.metadataText = metadataText;
    this.metadata = WheelMetadata.parse(metadataText);
    this.purelib = purelib;
    this.files = files;
    this.record = record;
    this.scripts = scripts;
    this.sha256 = sha256;
  }

  /**
   * Opens and verifies {@code file} for {@code target}.
   *
   * @param parameter the parameter that brought the wheel in, named in errors
   */
  public static Wheel open(Path file, PythonTarget target, Parameter parameter)
      throws InvalidInputException, IOException {
    return open(file, target, parameter, true);
  }

  /**
   * Opens {@code file} to read what choosing it needs (name, version, tags, requirements),
   * without reading RECORD or checking the files against it: the installer opens it with {@link
   * #open}, and checks, before any of its files is used.
   */
  public static Wheel openForChoice(Path file, PythonTarget target, Parameter parameter)
      throws InvalidInputException, IOException {
    return open(file, target, parameter, false);
  }

  private static Wheel open(Path file, PythonTarget target, Parameter parameter, boolean checkFiles)
      throws InvalidInputException, IOException {
    WheelFilename filename = compatibleName(file, target, parameter);
    ZipFile zip = zip(file, parameter);
    try {
      return verify(file, parameter, filename, zip, checkFiles);
    } catch (FileSystemException e) {
      zip.close();
      throw e;
    } catch (IOException e) {
      zip.close();
      throw damaged(parameter, file, e); // an entry's data that does not decompress
    } catch (InvalidInputException | RuntimeException e) {
      zip.close();
      throw e;
    }
  }

  /**
   * A wheel whose zip structure cannot be read (a damaged central directory, a truncated file,
   * an entry whose data does not decompress): the user's to rebuild, not an I/O failure.
   */
  private static InvalidInputException damaged(Parameter parameter, Path file, Exception e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new InvalidInputException(parameter, "The wheel " + file + " cannot be read as a zip "
        + "file (" + why + "): it is damaged or truncated; rebuild or re-download it", e);
  }

  /**
   * What choosing a wheel reads of it, to be remembered under its SHA-256 ({@link
   * #described}): its {@code .dist-info} directory and {@code METADATA}.
   */
  public record Description(String distInfo, String metadata) {}

  /** What choosing this wheel read of it. */
  public Description description() {
    return new Description(distInfo, metadataText);
  }

  /**
   * The wheel {@code file}, whose SHA-256 is {@code sha256}, for choosing, from what choosing it
   * read before ({@link #description}, remembered under that hash): nothing is read of the
   * zip until {@link #readOrNull} is called. Its name, tags and identity are checked as {@link
   * #openForChoice} checks them; the installer opens it with {@link #open}, which checks all.
   */
  public static Wheel described(Path file, PythonTarget target, Parameter parameter,
      Description description, String sha256) throws InvalidInputException, IOException {
    WheelFilename filename = compatibleName(file, target, parameter);
    if (!Files.isRegularFile(file)) {
      throw notAFile(file, parameter);
    }
    Wheel wheel = new Wheel(file, parameter, filename, null, description.distInfo(),
        description.metadata(), false, null, null, List.of(), sha256);
    checkIdentity(parameter, file.getFileName().toString(), filename, wheel.metadata);
    return wheel;
  }

  /** The name of wheel {@code file}, parsed, if its tags run on {@code target}. */
  private static WheelFilename compatibleName(Path file, PythonTarget target, Parameter parameter)
      throws InvalidInputException {
    String name = file.getFileName().toString();
    WheelFilename filename;
    try {
      filename = WheelFilename.parse(name);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(parameter, "The wheel " + file + " has an invalid name: "
          + e.getMessage(), e);
    }
    if (!filename.isCompatible(target)) {
      throw new InvalidInputException(parameter, "The wheel " + name + " (tags "
          + String.join(", ", filename.tagNames()) + ") does not run on " + target
          + ": rebuild it for Python " + target.version() + ", or set " + Parameter.PYTHON
          + " to the Python it was built for");
    }
    return filename;
  }

  private static InvalidInputException notAFile(Path file, Parameter parameter) {
    return new InvalidInputException(parameter, "The wheel " + file + " is "
        + (Files.isDirectory(file) ? "a directory" : "not a regular file")
        + ", not a wheel file: remove or rename it");
  }

  private static ZipFile zip(Path file, Parameter parameter) throws InvalidInputException, IOException {
    if (!Files.isRegularFile(file)) {
      throw notAFile(file, parameter);
    }
    try {
      // Entries as the central directory lists them (as pip reads a wheel); an entry's local
      // header is read when its data is, not all of them on opening (Django's 3,500: 60 ms).
      return ZipFile.builder().setPath(file).setCharset(StandardCharsets.UTF_8)
          .setIgnoreLocalFileHeader(true).get();
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw damaged(parameter, file, e);
    }
  }

  /** The wheel's zip, opened now if it was made from a description. */
  private synchronized ZipFile zip() throws IOException {
    if (zip == null) {
      try {
        zip = zip(file, parameter);
      } catch (InvalidInputException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    return zip;
  }

  private static Wheel verify(Path file, Parameter parameter, WheelFilename filename, ZipFile zip,
      boolean checkFiles) throws InvalidInputException, IOException {
    String name = file.getFileName().toString();
    List<String> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Enumeration<ZipArchiveEntry> e = zip.getEntries(); e.hasMoreElements(); ) {
      ZipArchiveEntry entry = e.nextElement();
      String path = entry.getName();
      if (!seen.add(path)) {
        throw bad(parameter, name, path, "appears twice in the zip");
      }
      checkPath(parameter, name, path);
      if (entry.isDirectory()) {
        continue;
      }
      if (entry.isUnixSymlink()) {
        throw bad(parameter, name, path, "is a symbolic link, which wheels may not contain");
      }
      files.add(path);
    }
    String distInfo = findDistInfo(parameter, name, files);
    for (String required : List.of("METADATA", "WHEEL", "RECORD")) {
      if (!files.contains(distInfo + "/" + required)) {
        throw bad(parameter, name, distInfo + "/" + required, "is missing");
      }
    }
    String metadataText = text(zip, distInfo + "/METADATA");
    WheelMetadata metadata = WheelMetadata.parse(metadataText);
    WheelMetadata wheel = WheelMetadata.parse(text(zip, distInfo + "/WHEEL"));
    checkIdentity(parameter, name, filename, metadata);
    String version = wheel.get("Wheel-Version");
    if (version == null || !version.startsWith("1.")) {
      throw bad(parameter, name, distInfo + "/WHEEL", "has Wheel-Version " + version
          + ", which this installer does not support (1.x)");
    }
    Map<String, WheelRecord.Row> record = null; // read to install, not to choose
    if (checkFiles) {
      try {
        record = WheelRecord.parse(text(zip, distInfo + "/RECORD"));
      } catch (IllegalArgumentException e) {
        throw bad(parameter, name, distInfo + "/RECORD", e.getMessage());
      }
      checkRecord(parameter, name, zip, files, distInfo, record);
    }
    List<EntryPoints.Script> scripts = List.of();
    String entryPoints = distInfo + "/entry_points.txt";
    if (files.contains(entryPoints)) {
      try {
        scripts = List.copyOf(EntryPoints.scripts(text(zip, entryPoints)));
      } catch (IllegalArgumentException e) {
        throw bad(parameter, name, entryPoints, "is invalid: " + e.getMessage());
      }
    }
    return new Wheel(file, parameter, filename, zip, distInfo, metadataText,
        "true".equalsIgnoreCase(wheel.get("Root-Is-Purelib")), Collections.unmodifiableList(files),
        record, scripts, Digests.sha256Hex(file));
  }

  /** Whether {@code path} starts as a Windows path does, {@code C:}. */
  private static boolean driveLetter(String path) {
    if (path.length() < 2 || path.charAt(1) != ':') {
      return false;
    }
    char first = path.charAt(0);
    return first >= 'A' && first <= 'Z' || first >= 'a' && first <= 'z';
  }

  /** Rejects absolute paths, {@code ..}, backslashes and empty components. */
  private static void checkPath(Parameter parameter, String wheel, String path)
      throws InvalidInputException {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (trimmed.isEmpty() || trimmed.startsWith("/") || trimmed.contains("\\")
        || driveLetter(trimmed) || trimmed.indexOf('\0') >= 0) {
      throw bad(parameter, wheel, path, "is not a safe relative path");
    }
    for (String part : trimmed.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw bad(parameter, wheel, path, "would be installed outside the virtualenv");
      }
    }
  }

  private static String findDistInfo(Parameter parameter, String wheel, List<String> files)
      throws InvalidInputException {
    Set<String> dirs = new HashSet<>();
    for (String path : files) {
      int slash = path.indexOf('/');
      if (slash > 0 && path.substring(0, slash).endsWith(".dist-info")) {
        dirs.add(path.substring(0, slash));
      }
    }
    if (dirs.size() != 1) {
      throw new InvalidInputException(parameter, "The wheel " + wheel + " has " + dirs.size()
          + " .dist-info directories " + dirs + " instead of one: it is not a valid wheel");
    }
    return dirs.iterator().next();
  }

  private static void checkIdentity(Parameter parameter, String wheel, WheelFilename filename,
      WheelMetadata metadata) throws InvalidInputException {
    String name = metadata.get("Name");
    String version = metadata.get("Version");
    if (name == null || version == null) {
      throw bad(parameter, wheel, "METADATA", "lacks Name or Version");
    }
    if (!Names.normalize(name).equals(filename.normalizedName())
        || !Pep440Version.isValid(version)
        || !Pep440Version.parse(version).equals(filename.version())) {
      throw new InvalidInputException(parameter, "The wheel " + wheel + " says it is " + name
          + " " + version + " in its METADATA but " + filename.name() + " " + filename.version()
          + " in its file name: it is not a valid wheel");
    }
  }

  private static void checkRecord(Parameter parameter, String wheel, ZipFile zip,
      List<String> files, String distInfo, Map<String, WheelRecord.Row> record)
      throws InvalidInputException, IOException {
    Set<String> inZip = new HashSet<>(files);
    for (String path : record.keySet()) {
      if (!inZip.contains(path)) {
        throw bad(parameter, wheel, path, "is listed in RECORD but missing from the wheel");
      }
    }
    byte[] buffer = new byte[1 << 16];
    for (String path : files) {
      if (path.startsWith(distInfo + "/") && UNRECORDED.contains(path.substring(distInfo.length() + 1))) {
        continue;
      }
      WheelRecord.Row row = record.get(path);
      if (row == null) {
        throw bad(parameter, wheel, path, "is not listed in RECORD");
      }
      if (!row.hash().startsWith("sha256=")) {
        throw bad(parameter, wheel, path, "has no sha256 hash in RECORD ('" + row.hash() + "')");
      }
      MessageDigest digest = Digests.sha256();
      long size = 0;
      try (InputStream in = zip.getInputStream(zip.getEntry(path))) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
          size += n;
        }
      }
      String actual = WheelRecord.hash(digest.digest());
      if (!actual.equals(row.hash())) {
        throw bad(parameter, wheel, path, "does not match its RECORD hash (RECORD says "
            + row.hash() + ", the content is " + actual + "): the wheel is corrupt or was tampered with");
      }
      if (!row.size().isEmpty() && !row.size().equals(Long.toString(size))) {
        throw bad(parameter, wheel, path, "is " + size + " bytes, RECORD says " + row.size());
      }
    }
  }

  private static String text(ZipFile zip, String path) throws IOException {
    ZipArchiveEntry entry = zip.getEntry(path);
    if (entry == null) {
      throw new IOException("missing " + path);
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static InvalidInputException bad(Parameter parameter, String wheel, String entry,
      String why) {
    return new InvalidInputException(parameter, "The wheel " + wheel + " is refused: its entry '"
        + entry + "' " + why + ". Rebuild the wheel or remove it from the wheelhouse");
  }

  public Path file() {
    return file;
  }

  public WheelFilename filename() {
    return filename;
  }

  /** The distribution name as METADATA spells it. */
  public String name() {
    return metadata.get("Name");
  }

  public Pep440Version version() {
    return filename.version();
  }

  /** SHA-256 of the wheel file, hex. */
  public String sha256() {
    return sha256;
  }

  /** The {@code Requires-Dist} requirements, unevaluated. */
  public List<Requirement> requirements() throws InvalidInputException {
    List<Requirement> requirements = new ArrayList<>();
    for (String line : metadata.getAll("Requires-Dist")) {
      try {
        requirements.add(Requirement.parse(line));
      } catch (IllegalArgumentException e) {
        throw bad(parameter, file.getFileName().toString(), "METADATA", e.getMessage());
      }
    }
    return requirements;
  }

  /** {@code Requires-Python}, or the empty specifier. */
  public VersionSpecifier requiresPython() throws InvalidInputException {
    try {
      return VersionSpecifier.parse(metadata.get("Requires-Python"));
    } catch (IllegalArgumentException e) {
      throw bad(parameter, file.getFileName().toString(), "METADATA", e.getMessage());
    }
  }

  String distInfo() {
    return distInfo;
  }

  boolean rootIsPurelib() {
    return purelib;
  }

  List<String> files() {
    if (files == null) {
      throw new IllegalStateException(file + " was described to be chosen, not opened to be installed");
    }
    return files;
  }

  ZipArchiveEntry entry(String path) throws IOException {
    return zip().getEntry(path);
  }

  InputStream open(String path) throws IOException {
    return zip().getInputStream(zip().getEntry(path));
  }

  /** The bytes of the wheel's file {@code path} ({@code pkg/crontab}), or {@code null}. */
  public byte[] readOrNull(String path) throws IOException {
    ZipArchiveEntry entry = zip().getEntry(path);
    if (entry == null || entry.isDirectory()) {
      return null;
    }
    try (InputStream in = zip().getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  /** The console and GUI scripts of {@code entry_points.txt}, checked when the wheel was opened. */
  List<EntryPoints.Script> scripts() {
    return scripts;
  }

  /** The hash RECORD gives a file, verified when the wheel was opened (by {@link #open}). */
  String recordedHash(String path) {
    if (record == null) {
      throw new IllegalStateException(file + " was opened to be chosen, not installed");
    }
    return record.get(path).hash();
  }

  Parameter parameter() {
    return parameter;
  }

  @Override
  public synchronized void close() throws IOException {
    if (zip != null) {
      zip.close();
    }
  }
}
