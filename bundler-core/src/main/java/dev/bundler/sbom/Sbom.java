package dev.bundler.sbom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bundler.image.ImageResult;
import dev.bundler.lock.Lockfile;
import dev.bundler.python.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The image's software bill of materials as CycloneDX 1.5 JSON: every Debian package and every
 * Python distribution in it, each with its package URL and the SHA-256 of the file it came from.
 * Made from the build's lockfile and image, and nothing else: the same build gives the same bytes
 * (the timestamp is the image's creation time, the serial number derives from the image digest).
 */
public final class Sbom {
  /** The file name next to the image. */
  public static final String FILE = "sbom.cdx.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Sbom() {}

  /**
   * The CycloneDX document of an image.
   *
   * @param lock what the build installed
   * @param image the image written
   * @param distro the Debian codename the packages come from ({@code bookworm})
   * @param created the image's creation time
   * @param toolVersion bundler's version
   */
  public static byte[] cyclonedx(Lockfile lock, ImageResult image, String distro, Instant created,
      String toolVersion) throws IOException {
    return cyclonedx(lock, image, distro, created, toolVersion, null);
  }

  /**
   * The CycloneDX document of an image whose Debian packages were installed without {@code
   * omitted} (a description of the paths left out, recorded on the image component as {@code
   * bundler:debian:omitted}), or whole when it is {@code null}.
   */
  public static byte[] cyclonedx(Lockfile lock, ImageResult image, String distro, Instant created,
      String toolVersion, String omitted) throws IOException {
    ObjectNode bom = JSON.createObjectNode();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.5");
    bom.put("serialNumber", "urn:uuid:"
        + UUID.nameUUIDFromBytes(image.imageDigest().getBytes(StandardCharsets.UTF_8)));
    bom.put("version", 1);

    ObjectNode metadata = bom.putObject("metadata");
    metadata.put("timestamp", created.toString());
    ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
    tool.put("type", "application");
    tool.put("name", "bundler");
    tool.put("version", toolVersion);
    ObjectNode subject = metadata.putObject("component");
    String reference = image.image();
    int colon = reference.lastIndexOf(':');
    boolean tagged = colon > reference.lastIndexOf('/');
    subject.put("type", "container");
    subject.put("bom-ref", "image");
    subject.put("name", tagged ? reference.substring(0, colon) : reference);
    if (tagged) {
      subject.put("version", reference.substring(colon + 1));
    }
    String name = subject.get("name").asText();
    subject.put("purl", "pkg:oci/" + encode(name.substring(name.lastIndexOf('/') + 1)) + "@"
        + encode(image.imageDigest()) + "?repository_url=" + encode(name).replace("%2F", "/"));
    hash(subject, image.imageDigest().substring("sha256:".length()));
    property(subject, "bundler:debian:omitted", omitted);

    ArrayNode components = bom.putArray("components");
    List<String> refs = new ArrayList<>();
    for (Lockfile.DebianPackage pkg : lock.debian()) {
      String purl = "pkg:deb/debian/" + encode(pkg.name()) + "@" + encode(pkg.version())
          + "?arch=" + encode(pkg.architecture()) + "&distro=" + encode(distro);
      ObjectNode component = component(components, purl, pkg.name(), pkg.version(), pkg.sha256());
      property(component, "bundler:debian:source", pkg.source());
      property(component, "bundler:debian:suite", pkg.suite());
      property(component, "bundler:layer", "debian " + pkg.layer());
      refs.add(purl);
    }
    for (Lockfile.Wheel wheel : lock.wheels()) {
      String purl = "pkg:pypi/" + encode(Names.normalize(wheel.name()))
          + "@" + encode(wheel.version());
      ObjectNode component = component(components, purl, wheel.name(), wheel.version(), wheel.sha256());
      property(component, "bundler:file", wheel.file());
      refs.add(purl);
    }
    ArrayNode dependsOn = bom.putArray("dependencies").addObject().put("ref", "image")
        .putArray("dependsOn");
    refs.forEach(dependsOn::add);
    return JSON.writeValueAsBytes(bom);
  }

  private static ObjectNode component(ArrayNode components, String purl, String name,
      String version, String sha256) {
    ObjectNode component = components.addObject();
    component.put("type", "library");
    component.put("bom-ref", purl);
    component.put("name", name);
    component.put("version", version);
    component.put("purl", purl);
    hash(component, sha256);
    return component;
  }

  private static void hash(ObjectNode component, String sha256) {
    if (sha256 != null) {
      ObjectNode hash = component.putArray("hashes").addObject();
      hash.put("alg", "SHA-256");
      hash.put("content", sha256);
    }
  }

  private static void property(ObjectNode component, String name, String value) {
    if (value == null) {
      return;
    }
    ArrayNode properties = component.has("properties")
        ? (ArrayNode) component.get("properties") : component.putArray("properties");
    properties.addObject().put("name", name).put("value", value);
  }

  /** Percent-encodes a package URL segment: all but {@code A-Z a-z 0-9 . - _ ~}. */
  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }
}
