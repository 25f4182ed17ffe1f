package dev.bundler.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * bundler's PEP 440 and PEP 508 code agrees with Python's {@code packaging}, the reference pip
 * uses, on a large sample of versions, specifiers and markers.
 */
class PackagingDifferentialIT {

  static List<String> versions() {
    Set<String> versions = new LinkedHashSet<>(List.of(
        "0", "0.1", "1", "1.0", "1.0.0", "1.0.0.0", "1.0.1", "1.1", "1.2", "1.10", "2", "2.0",
        "2.0.1", "2.2", "2.2.0", "2.3", "3.3.2", "3.6.0", "4", "4.0", "1!0.5", "1!1.0", "2!0",
        "1.0a1", "1.0a2", "1.0b1", "1.0rc1", "1.0c2", "1.0rc2", "1.0.dev0", "1.0.dev1",
        "1.0a1.dev1", "1.0.post1", "1.0.post1.dev2", "1.0.post2", "1.0-1", "1.0.r3", "1.0rev4",
        "1.0+local", "1.0+local.1", "1.0+local.2", "1.0+1", "1.0+abc.5", "1.0+5.abc",
        "1.0.post1+x", "1.0a1+x", "1.1.dev0", "1.1a1", "1.1.post0", "V1.2", "1.2-beta-3",
        "1.2.PRE4", "1.2preview5", "1.2.alpha", "1.2ALPHA.1", "2.2.post3", "2.2.5", "2.3.dev0",
        "3.0", "3.0a1", "3.3.1", "3.4", "0.4.0.dev2015041600284", "2023.1", "2023.01.5",
        "1.0_post_3", "1.0-dev-2", "01.002", "3.11.2", "3.8", "3.10", "3.12.0rc1", "1.0.0+ubuntu1"));
    return new ArrayList<>(versions);
  }

  static final List<String> SPECIFIERS = List.of(
      "", ">=1.0", ">1.0", "<1.0", "<=1.0", "==1.0", "!=1.0", "==1.0.*", "!=1.0.*", "==1.*",
      "~=1.0", "~=2.2", "~=2.2.0", "~=2.2.post3", "~=1.0a1", ">=1.0a1", "<1.0a2", ">1.0.post1",
      ">1.0", "==1.0+local", "==1.0.0", "==2", ">=3.3.2,<4", ">=1.0,!=1.0.1,<2",
      "==1!1.0", ">=1!0", "===1.0", "<3", ">2.2.4", "==3.*", "!=3.3.*", ">=1.0.dev0",
      "==1.0.post1", "<1.0.post1", "~=1!1.0", "==0.4.0.*", ">=2023.1", "~=3.10");

  @Test
  void versionsParseAndOrderAsPackagingDoes() throws Exception {
    List<String> versions = versions();
    JsonNode reference = PythonReference.run(
        PythonReference.IMPORTS
            + """
            vs = [Version(v) for v in data]
            norm = [str(v) for v in vs]
            flags = [[v.is_prerelease, v.is_postrelease, v.is_devrelease] for v in vs]
            cmp = [[(a > b) - (a < b) for b in vs] for a in vs]
            print(json.dumps({"norm": norm, "cmp": cmp, "flags": flags}))
            """,
        versions);
    int pairs = 0;
    for (int i = 0; i < versions.size(); i++) {
      Pep440Version a = Pep440Version.parse(versions.get(i));
      assertThat(a.toString()).as(versions.get(i)).isEqualTo(reference.get("norm").get(i).asText());
      assertThat(a.isPrerelease()).as(versions.get(i)).isEqualTo(reference.get("flags").get(i).get(0).asBoolean());
      assertThat(a.isPostrelease()).as(versions.get(i)).isEqualTo(reference.get("flags").get(i).get(1).asBoolean());
      for (int j = 0; j < versions.size(); j++) {
        Pep440Version b = Pep440Version.parse(versions.get(j));
        int expected = reference.get("cmp").get(i).get(j).asInt();
        assertThat(Integer.signum(a.compareTo(b)))
            .as("%s vs %s", versions.get(i), versions.get(j))
            .isEqualTo(expected);
        assertThat(a.equals(b)).isEqualTo(expected == 0);
        if (expected == 0) {
          assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
        pairs++;
      }
    }
    assertThat(pairs).isGreaterThan(5000);
  }

  static final List<String> INVALID_SPECIFIERS = List.of(
      "<=1.0+local", ">=1.*", "~=1", "=>1.0", "==", ">=1.0;", "== 1.0 2");

  @Test
  void invalidSpecifiersAreRejectedByBoth() throws Exception {
    JsonNode reference = PythonReference.run(
        PythonReference.IMPORTS
            + """
            from pip._vendor.packaging.specifiers import Specifier
            out = []
            for s in data:
                try:
                    [Specifier(part) for part in s.split(",")]
                    out.append(True)
                except Exception:
                    out.append(False)
            print(json.dumps(out))
            """,
        INVALID_SPECIFIERS);
    for (int i = 0; i < INVALID_SPECIFIERS.size(); i++) {
      String text = INVALID_SPECIFIERS.get(i);
      assertThat(reference.get(i).asBoolean()).as("packaging accepts %s", text).isFalse();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> VersionSpecifier.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void specifiersMatchAsPackagingDoes() throws Exception {
    List<String> versions = versions();
    JsonNode reference = PythonReference.run(
        PythonReference.IMPORTS
            + """
            out = []
            for s in data["specs"]:
                spec = SpecifierSet(s)
                out.append([[spec.contains(v), spec.contains(v, prereleases=True)] for v in data["versions"]])
            print(json.dumps(out))
            """,
        Map.of("specs", SPECIFIERS, "versions", versions));
    int checks = 0;
    for (int s = 0; s < SPECIFIERS.size(); s++) {
      VersionSpecifier spec = VersionSpecifier.parse(SPECIFIERS.get(s));
      for (int v = 0; v < versions.size(); v++) {
        Pep440Version version = Pep440Version.parse(versions.get(v));
        JsonNode expected = reference.get(s).get(v);
        assertThat(spec.contains(version))
            .as("'%s' contains %s", SPECIFIERS.get(s), versions.get(v))
            .isEqualTo(expected.get(0).asBoolean());
        assertThat(spec.contains(version, true))
            .as("'%s' contains %s with pre-releases", SPECIFIERS.get(s), versions.get(v))
            .isEqualTo(expected.get(1).asBoolean());
        checks += 2;
      }
    }
    assertThat(checks).isGreaterThan(5000);
  }

  static final List<String> MARKERS = List.of(
      "python_version < \"3.8\"", "python_version >= '3.6'", "python_version == '3.11'",
      "python_version > '3.10'", "python_full_version >= '3.11.0'", "python_version ~= '3.9'",
      "sys_platform == 'win32'", "sys_platform == \"linux\"", "sys_platform != 'darwin'",
      "os_name == 'nt'", "platform_system == 'Windows' or platform_system == 'Linux'",
      "platform_machine == 'x86_64' and python_version >= '3'", "'linux' in sys_platform",
      "'win' not in sys_platform", "platform_python_implementation == 'CPython'",
      "implementation_name == 'pypy'", "extra == 'argon2'", "extra == \"bcrypt\"",
      "python_version < '3.12' and (extra == 'socks' or extra == 'argon2')",
      "(python_version < '3') or (extra == 'socks' and sys_platform == 'linux')",
      "python_version in '3.10 3.11'", "python_version not in '2.7'", "'3.11' == python_version",
      "platform_machine != 'aarch64'", "extra == 'a' and extra == 'b'");

  @Test
  void markersEvaluateAsPackagingDoes() throws Exception {
    PythonTarget target = new PythonTarget("3.11", "3.11.2", "amd64", "2.36");
    MarkerEnvironment environment = MarkerEnvironment.linux(target);
    List<List<String>> extraSets =
        List.of(List.of(), List.of("argon2"), List.of("socks"), List.of("foo-bar"), List.of("a", "b"));
    JsonNode reference = PythonReference.run(
        PythonReference.IMPORTS
            + """
            out = []
            for m in data["markers"]:
                marker = Marker(m)
                row = []
                for extras in data["extras"]:
                    envs = [dict(data["env"], extra=e) for e in (extras or [""])]
                    row.append(any(marker.evaluate(env) for env in envs))
                out.append(row)
            print(json.dumps(out))
            """,
        Map.of("markers", MARKERS, "extras", extraSets, "env", environment.values()));
    for (int m = 0; m < MARKERS.size(); m++) {
      Marker marker = Marker.parse(MARKERS.get(m));
      for (int e = 0; e < extraSets.size(); e++) {
        assertThat(marker.evaluate(environment, Set.copyOf(extraSets.get(e))))
            .as("%s with extras %s", MARKERS.get(m), extraSets.get(e))
            .isEqualTo(reference.get(m).get(e).asBoolean());
      }
    }
  }

  @Test
  void supportedTagsAreThoseOfPackagingInTheSameOrder() throws Exception {
    for (String machine : List.of("x86_64", "aarch64")) {
      PythonTarget target = new PythonTarget("3.11", null, machine, "2.36");
      JsonNode reference = PythonReference.run(
          PythonReference.IMPORTS
              + """
              plats = data["platforms"]
              out = [str(t) for t in tags.cpython_tags((3, 11), ["cp311"], plats)]
              out += [str(t) for t in tags.compatible_tags((3, 11), "cp311", plats)]
              print(json.dumps(out))
              """,
          Map.of("platforms", target.platforms()));
      List<String> expected = new ArrayList<>();
      reference.forEach(tag -> expected.add(tag.asText()));
      assertThat(target.supportedTags()).map(WheelTag::toString).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void manylinuxPlatformsAreThoseOfPackagingForThisGlibc() throws Exception {
    JsonNode reference = PythonReference.run(
        PythonReference.IMPORTS
            + """
            import platform
            try:
                found = list(_manylinux.platform_tags(["x86_64"]))
            except TypeError:
                found = list(_manylinux.platform_tags("linux_x86_64", "x86_64"))
            print(json.dumps({"glibc": platform.libc_ver()[1], "tags": found}))
            """,
        Map.of());
    PythonTarget target = new PythonTarget("3.11", null, "x86_64", reference.get("glibc").asText());
    List<String> expected = new ArrayList<>();
    reference.get("tags").forEach(tag -> expected.add(tag.asText()));
    expected.add("linux_x86_64");
    assertThat(target.platforms()).containsExactlyElementsOf(expected);
  }
}
