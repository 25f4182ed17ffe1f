package dev.bundler.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The OCI image config bundler writes: the base image's settings with the container config laid
 * over them (the environment merged by name, labels merged, ports and volumes added, entrypoint,
 * command, user and working directory replaced), the layers' diff ids and one history line per
 * layer. Fields are always written in one order, so equal inputs give equal bytes.
 */
final class ImageConfigs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageConfigs() {}

  static byte[] write(ObjectNode base, List<ImageLayer> layers, int baseLayers,
      ContainerConfig container, String architecture) {
    ObjectNode out = JSON.createObjectNode();
    out.put("created", container.creationTime().toString());
    out.put("architecture", base.path("architecture").asText(architecture));
    out.put("os", base.path("os").asText("linux"));
    if (base.hasNonNull("variant")) {
      out.put("variant", base.get("variant").asText());
    }
    out.set("config", runtime(base.path("config"), container));
    out.set("rootfs", rootfs(layers));
    out.set("history", history(base, layers, baseLayers, container));
    try {
      return JSON.writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serializes", e);
    }
  }

  private static ObjectNode runtime(JsonNode base, ContainerConfig container) {
    ObjectNode config = JSON.createObjectNode();
    Map<String, String> environment = new LinkedHashMap<>();
    for (JsonNode variable : base.path("Env")) {
      String text = variable.asText();
      int equals = text.indexOf('=');
      environment.put(equals < 0 ? text : text.substring(0, equals),
          equals < 0 ? "" : text.substring(equals + 1));
    }
    environment.putAll(container.environment());
    ArrayNode env = config.putArray("Env");
    environment.forEach((name, value) -> env.add(name + "=" + value));
    if (!container.entrypoint().isEmpty()) {
      strings(config.putArray("Entrypoint"), container.entrypoint());
      if (!container.cmd().isEmpty()) {
        strings(config.putArray("Cmd"), container.cmd());
      }
    } else {
      copy(base, config, "Entrypoint");
      if (!container.cmd().isEmpty()) {
        strings(config.putArray("Cmd"), container.cmd());
      } else {
        copy(base, config, "Cmd");
      }
    }
    TreeSet<String> ports = new TreeSet<>();
    base.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    container.exposedPorts().forEach(port -> ports.add(port + "/tcp"));
    if (!ports.isEmpty()) {
      ObjectNode exposed = config.putObject("ExposedPorts");
      ports.forEach(exposed::putObject);
    }
    Map<String, String> labels = new TreeMap<>();
    base.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    labels.putAll(container.labels());
    if (!labels.isEmpty()) {
      ObjectNode node = config.putObject("Labels");
      labels.forEach(node::put);
    }
    config.put("WorkingDir", container.workingDirectory());
    config.put("User", container.user());
    TreeSet<String> volumes = new TreeSet<>(container.volumes());
    base.path("Volumes").fieldNames().forEachRemaining(volumes::add);
    if (!volumes.isEmpty()) {
      ObjectNode node = config.putObject("Volumes");
      volumes.forEach(node::putObject);
    }
    return config;
  }

  private static ObjectNode rootfs(List<ImageLayer> layers) {
    ObjectNode rootfs = JSON.createObjectNode();
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(layer -> diffIds.add(layer.layer().diffId()));
    return rootfs;
  }

  private static ArrayNode history(ObjectNode base, List<ImageLayer> layers, int baseLayers,
      ContainerConfig container) {
    ArrayNode history = JSON.createArrayNode();
    if (base.path("history").isArray() && !base.path("history").isEmpty()) {
      base.path("history").forEach(entry -> history.add(entry.deepCopy()));
    } else {
      for (int i = 0; i < baseLayers; i++) {
        history.addObject().put("created_by", "base image layer");
      }
    }
    for (ImageLayer layer : layers.subList(baseLayers, layers.size())) {
      ObjectNode entry = history.addObject();
      entry.put("created", container.creationTime().toString());
      entry.put("created_by", "bundler: " + layer.description());
    }
    return history;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    if (from.has(field) && !from.get(field).isNull()) {
      to.set(field, from.get(field).deepCopy());
    }
  }
}
