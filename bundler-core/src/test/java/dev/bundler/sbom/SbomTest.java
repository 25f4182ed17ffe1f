package dev.bundler.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bundler.image.ImageResult;
import dev.bundler.lock.Lockfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SbomTest {
  private static final String DIGEST =
      "sha256:c4a0279b56bc7c67dc6ee1776c6928fd4e731f8d42cc8853b4bf41a219e94031";

  private static Lockfile lock() {
    Lockfile.Inputs inputs = new Lockfile.Inputs("Django==3.2.25", "3.11", "amd64", "bookworm",
        List.of("main"), List.of(), true);
    return new Lockfile(Lockfile.FORMAT, inputs, List.of(
        new Lockfile.DebianPackage("libc6", "2.36-9+deb12u4", "amd64", "http://HOST/debian/",
            "bookworm-security", "pool/main/g/glibc/libc6.deb", "aa".repeat(32), 1, "system",
            "required", "libs", "same", false, "glibc"),
        new Lockfile.DebianPackage("strange", "1:2.0~rc1+dfsg-1", "all", "http://HOST/debian/",
            "bookworm", "pool/main/s/strange.deb", "bb".repeat(32), 1, "services",
            "optional", "misc", null, false, null)),
        List.of(new Lockfile.Wheel("Django", "3.2.25", "Django-3.2.25-py3-none-any.whl", "cc".repeat(32)),
            new Lockfile.Wheel("zope.interface", "6.0", "zope.interface-6.0-cp311-cp311-linux_x86_64.whl",
                "dd".repeat(32))));
  }

  @Test
  void listsEveryPackageWithItsPackageUrlAndHashReproducibly() throws Exception {
    ImageResult image = new ImageResult("127.0.0.1:5000/team/django:3.2.25", DIGEST,
        "sha256:" + "ee".repeat(32), List.of("3.2.25"), null);
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    byte[] bytes = Sbom.cyclonedx(lock(), image, "bookworm", created, "0.1.0");
    assertThat(Sbom.cyclonedx(lock(), image, "bookworm", created, "0.1.0")).isEqualTo(bytes);

    JsonNode bom = new ObjectMapper().readTree(bytes);
    assertThat(bom.get("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(bom.get("specVersion").asText()).isEqualTo("1.5");
    assertThat(bom.get("serialNumber").asText()).matches("urn:uuid:[0-9a-f-]{36}");
    assertThat(bom.at("/metadata/timestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(bom.at("/metadata/component/name").asText()).isEqualTo("127.0.0.1:5000/team/django");
    assertThat(bom.at("/metadata/component/version").asText()).isEqualTo("3.2.25");
    assertThat(bom.at("/metadata/component/purl").asText()).isEqualTo("pkg:oci/django@sha256%3A"
        + DIGEST.substring(7) + "?repository_url=127.0.0.1%3A5000/team/django");

    List<String> purls = new ArrayList<>();
    bom.get("components").forEach(c -> purls.add(c.get("purl").asText()));
    assertThat(purls).containsExactly(
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=bookworm",
        "pkg:deb/debian/strange@1%3A2.0~rc1%2Bdfsg-1?arch=all&distro=bookworm",
        "pkg:pypi/django@3.2.25",
        "pkg:pypi/zope-interface@6.0");
    JsonNode libc = bom.get("components").get(0);
    assertThat(libc.at("/hashes/0/alg").asText()).isEqualTo("SHA-256");
    assertThat(libc.at("/hashes/0/content").asText()).isEqualTo("aa".repeat(32));
    assertThat(libc.at("/properties/0/value").asText()).isEqualTo("glibc");
    assertThat(bom.at("/components/3/name").asText()).isEqualTo("zope.interface");
    List<String> dependsOn = new ArrayList<>();
    bom.at("/dependencies/0/dependsOn").forEach(ref -> dependsOn.add(ref.asText()));
    assertThat(dependsOn).containsExactlyElementsOf(purls);
    assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("HOST");
  }
}
