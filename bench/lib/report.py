#!/usr/bin/env python3
"""Turns bench/run.sh's samples into the side-by-side table and target/bench/results.json.

    python3 report.py --work target/bench --command "bash bench/run.sh" [--docker-version ...]

Reads WORK/samples.tsv (tool, figure, run, value per line) and the build logs under WORK; prints
the table (docker, bundler, bundler/docker, bundler beyond Maven's start-up) and, when the registry
cache scenario ran (tool `registry`), its table (figure, value, issue 10's target, met), writes
them as WORK/results.md, and writes every figure, the raw samples, the machine, the commit and the
command to WORK/results.json.
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import re
import statistics
import subprocess

MIB = 1 << 20


def load_samples(path):
    samples = {}
    for line in path.read_text().splitlines():
        tool, figure, run, value = line.split("\t", 3)
        samples.setdefault((tool, figure), []).append((run, value))
    return samples


def numbers(samples, tool, figure):
    return [float(value) for _, value in samples.get((tool, figure), [])]


def median(values):
    return statistics.median(values) if values else None


def machine():
    cpu = ""
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    os_name = ""
    release = pathlib.Path("/etc/os-release")
    if release.exists():
        match = re.search(r'^PRETTY_NAME="?([^"\n]*)', release.read_text(), re.M)
        os_name = match.group(1) if match else ""
    return {
        "nproc": os.cpu_count(),
        "ram_gib": round(mem_kib / (1 << 20), 1),
        "kernel": platform.release(),
        "cpu": cpu,
        "os": os_name,
    }


def git(*args):
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


LOG_LINE = re.compile(r"^(?:\x1b\[[0-9;]*m)*(\d\d):(\d\d):(\d\d)\.(\d{3}) \[(\w+)\] (.*)$")


def log_events(log):
    """(seconds, message, is_container_output) per timestamped line of a Maven log (midnight-safe)."""
    events, day, last = [], 0, None
    for line in log.read_text(errors="replace").splitlines():
        match = LOG_LINE.match(line)
        if not match:
            continue
        h, m, s, ms, _, message = match.groups()
        at = int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 + day
        if last is not None and at < last - 3600:
            day += 86400
            at += 86400
        last = at
        events.append((at, message.rstrip(), message.startswith("  | ")))
    return events


def bundler_phases(log):
    """Each log line of a bundler build with the seconds until the next. The container's own lines
    (pip's, "  | ...") are not listed one by one: a block of them is one "container output begins"
    line and one "container output ends" line, so the time after pip's last line shows."""
    if not log.exists():
        return []
    events, block = [], []

    def close_block():
        if block:
            events.append((block[0][0], f"(container output begins: {len(block)} lines)"))
            if len(block) > 1:
                events.append((block[-1][0], "(container output ends)"))
            block.clear()

    for at, message, container in log_events(log):
        if container:
            block.append((at, message))
            continue
        close_block()
        if not message.strip() or message.startswith("---"):
            continue
        events.append((at, message.strip()))
    close_block()
    phases = []
    for (at, message), following in zip(events, events[1:] + events[-1:]):
        phases.append({"at": round(at - events[0][0], 3), "seconds": round(following[0] - at, 3),
                       "message": message})
    return phases


WROTE_LAYER = re.compile(r"^Wrote layer (.+): ([\d,]+) KiB in ([\d.]+) s$")
CACHED_LAYER = re.compile(r"^Layer (\w+) from the registry cache \(([\d,]+) KiB\)$")
LAID_OUT = re.compile(r"^Laid out the root file system of the (.+) \((\d+) Debian packages\) in ([\d.]+) s$")
AT_HAND = re.compile(r"^Wheelhouse of (\S+) made of (\d+) wheels at hand")
COMPILED = re.compile(r"^Compiled the bytecode in ([\d.]+) s$")
RECORDING = re.compile(r"^Recording (\d+) results in the registry cache")


def bundler_summary(log):
    """Where a bundler build's time goes, from its own log lines: Maven's start until the plugin
    runs, the Debian indexes, each layer written (they overlap: independent layers are written in
    parallel) or taken from the registry cache, each root file system laid out, the container run
    of pip (its output, then the rest of the run: the bytecode is compiled in the same run), a
    wheelhouse made of the wheels at hand, a bytecode run of its own, writing the image, recording
    in the registry cache, pushing. Seconds; absent keys did not happen."""
    if not log.exists():
        return {}
    events = log_events(log)
    if not events:
        return {}
    start = events[0][0]
    own = [(at, message.strip()) for at, message, container in events if not container]
    output = [at for at, _, container in events if container]
    summary = {"log_seconds": round(events[-1][0] - start, 3)}

    def first(predicate, after=None):
        for at, message in own:
            if (after is None or at >= after) and predicate(message):
                return at, message
        return None

    plugin = first(lambda m: m.startswith("--- bundler-maven-plugin:"))
    if plugin:
        summary["maven_until_plugin_s"] = round(plugin[0] - start, 3)
        following = first(lambda m: not m.startswith("---") and m.strip() != "", after=plugin[0] + 0.0005)
        if following:
            summary["plugin_until_first_line_s"] = round(following[0] - plugin[0], 3)
    if first(lambda m: " is up to date (" in m):
        summary["up_to_date"] = True
    reading = first(lambda m: m.startswith("Reading the Debian package index"))
    resolved = first(lambda m: re.match(r"^Resolved \d+ Debian packages", m) is not None)
    if reading and resolved:
        summary["debian_indexes_s"] = round(resolved[0] - reading[0], 3)
    layers, cached, roots = [], [], []
    for at, message in own:
        match = WROTE_LAYER.match(message)
        if match:
            layers.append({"layer": match.group(1), "kib": int(match.group(2).replace(",", "")),
                           "seconds": float(match.group(3)), "done_at": round(at - start, 3)})
        match = CACHED_LAYER.match(message)
        if match:
            cached.append({"key": match.group(1), "kib": int(match.group(2).replace(",", "")),
                           "at": round(at - start, 3)})
        match = LAID_OUT.match(message)
        if match:
            roots.append({"root": match.group(1), "packages": int(match.group(2)),
                          "seconds": float(match.group(3)), "done_at": round(at - start, 3)})
    if layers:
        summary["layers_written"] = layers
    if cached:
        summary["layers_from_registry_cache"] = cached
    if roots:
        summary["roots_laid_out"] = roots
    summary["from_registry_cache"] = sum(1 for _, m in own if m.endswith("from the registry cache")
                                         or CACHED_LAYER.match(m) is not None)
    building = first(lambda m: m.startswith("Building the wheelhouse of "))
    if building:
        selecting = first(lambda m: m.startswith("Selecting wheels for "), after=building[0])
        run = {"started_at": round(building[0] - start, 3)}
        inside = [at for at in output if at >= building[0] and (selecting is None or at <= selecting[0])]
        if inside:
            run["until_first_output_s"] = round(inside[0] - building[0], 3)
            run["output_s"] = round(inside[-1] - inside[0], 3)
        if selecting:
            run["seconds"] = round(selecting[0] - building[0], 3)
            if inside:
                run["after_last_output_s"] = round(selecting[0] - inside[-1], 3)
        summary["wheelhouse_container_run"] = run
    at_hand = first(lambda m: AT_HAND.match(m) is not None)
    if at_hand:
        match = AT_HAND.match(at_hand[1])
        summary["wheelhouse_at_hand"] = {"requirement": match.group(1), "wheels": int(match.group(2))}
    compiled = first(lambda m: COMPILED.match(m) is not None)
    if compiled:
        summary["bytecode_run_s"] = float(COMPILED.match(compiled[1]).group(1))
    writing = first(lambda m: m.startswith("Writing image "))
    built = first(lambda m: m.startswith("Built "))
    if writing and built:
        summary["image_s"] = round(built[0] - writing[0], 3)
    recording = first(lambda m: RECORDING.match(m) is not None)
    if recording:
        after = first(lambda m: not m.startswith("Recording"), after=recording[0] + 0.0005)
        summary["registry_recording"] = {"results": int(RECORDING.match(recording[1]).group(1)),
                                         "seconds": round(after[0] - recording[0], 3) if after else None}
    pushing = first(lambda m: m.startswith("Pushing "))
    pushed = first(lambda m: m.startswith("Pushed "))
    if pushing and pushed:
        summary["push_s"] = round(pushed[0] - pushing[0], 3)
    total = first(lambda m: m.startswith("Total time:"))
    if total:
        summary["maven_total_time"] = total[1].split(":", 1)[1].strip()
    return summary


STEP_NAME = re.compile(r"^#(\d+) (\[.*)$")
STEP_END = re.compile(r"^#(\d+) (DONE ([\d.]+)s|CACHED)$")


def docker_steps(log):
    """The steps of one BuildKit build (plain progress) with their time, or "cached"."""
    if not log.exists():
        return []
    names, steps = {}, []
    for line in log.read_text(errors="replace").splitlines():
        match = STEP_NAME.match(line)
        if match:
            names.setdefault(match.group(1), match.group(2)[:140])
            continue
        match = STEP_END.match(line)
        if match and match.group(1) in names:
            cached = match.group(2) == "CACHED"
            steps.append({"step": names[match.group(1)],
                          "seconds": None if cached else float(match.group(3)), "cached": cached})
    return steps


def fmt_seconds(value):
    return "—" if value is None else f"{value:.2f} s"


def fmt_mib(value):
    return "—" if value is None else f"{value / MIB:.1f} MiB"


def fmt_bytes(value):
    if value is None:
        return "—"
    if value < MIB:
        return f"{value / 1024:.1f} KiB"
    return fmt_mib(value)


def registry_figures(samples, plain_cold_digests):
    """The registry cache scenario's figures (issue 10), or None when it did not run."""
    def value(figure):
        values = samples.get(("registry", figure))
        return values[0][1] if values and values[0][1] != "" else None

    def number(figure):
        text = value(figure)
        return None if text is None else float(text)

    def count(figure):
        text = value(figure)
        return None if text is None else int(float(text))

    if value("machine1") is None:
        return None
    machine1, machine2 = number("machine1"), number("machine2")
    digest1, digest2, pushed = value("machine1.digest"), value("machine2.digest"), value("push.pushed_digest")
    traffic = json.loads(value("push.traffic")) if value("push.traffic") else None
    before, after = count("push.storage_before"), count("push.storage_after")
    rss = [number(f"{figure}.rss_kib") for figure in ("machine1", "machine2", "push")]
    return {
        "machine1_cold_s": machine1,
        "machine1_recorded_results": count("machine1.recorded"),
        "registry_cache_bytes_after_machine1": count("machine1.registry_bytes"),
        "machine2_cold_s": machine2,
        "machine2_over_machine1": None if not machine1 or machine2 is None else machine2 / machine1,
        "machine2_over_machine1_target": 0.3,
        "machine2_debs_downloaded": count("machine2.debs"),
        "machine2_container_run_lines": count("machine2.container_lines"),
        "machine2_roots_laid_out": count("machine2.roots_laid_out"),
        "machine2_layers_written": count("machine2.layers_written"),
        "machine2_taken_from_registry_cache": count("machine2.from_registry"),
        "digest_machine1": digest1,
        "digest_machine2": digest2,
        "same_digest_both_machines": None if digest1 is None or digest2 is None else digest1 == digest2,
        "same_digest_as_the_build_without_registry":
            None if not plain_cold_digests or digest1 is None else plain_cold_digests == {digest1},
        "push_s": number("push"),
        "push_traffic": traffic,
        "push_uploaded_bytes": traffic["uploaded"]["bytes"] if traffic else None,
        "push_mounted_bytes": traffic["mounted"]["bytes"] if traffic else None,
        "push_registry_storage_growth_bytes": None if before is None or after is None else after - before,
        "push_layer_blobs_downloaded": count("push.layer_blobs"),
        "push_debs_downloaded": count("push.debs"),
        "push_wheelhouse_bytes_downloaded": count("push.wheelhouse_bytes"),
        "push_bytecode_bytes_downloaded": count("push.bytecode_bytes"),
        "push_container_run_lines": count("push.container_lines"),
        "pushed_digest": pushed,
        "pushed_digest_equals_tarball": None if pushed is None or digest1 is None else pushed == digest1,
        "login_in_logs_files": count("password_in_logs"),
        "peak_rss_bytes": max((v * 1024 for v in rss if v is not None), default=None),
    }


def blobs(n):
    return f"{n} blob" if n == 1 else f"{n} blobs"


def registry_table(r, plain_cold):
    def met(ok):
        return "—" if ok is None else ("met" if ok else "**not met**")

    def yes(ok):
        return "—" if ok is None else ("yes" if ok else "**no**")

    traffic = r["push_traffic"]
    ratio_value = r["machine2_over_machine1"]
    rows = [
        ("machine 1: cold build, empty cache, empty registry (records "
         f"{r['machine1_recorded_results']} results there)", fmt_seconds(r["machine1_cold_s"])
         + (f" (without a registry: {fmt_seconds(plain_cold)})" if plain_cold is not None else ""), "", ""),
        ("machine 2: cold build, empty local cache, warm registry cache", fmt_seconds(r["machine2_cold_s"]), "", ""),
        ("machine 2 / machine 1", "—" if ratio_value is None else f"{ratio_value:.2f}", "<= 0.3",
         met(None if ratio_value is None else ratio_value <= 0.3)),
        ("machine 2: `.deb` files downloaded", str(r["machine2_debs_downloaded"]), "0",
         met(r["machine2_debs_downloaded"] == 0)),
        ("machine 2: container runs (\"Building the wheelhouse\", \"Compiling Python bytecode\")",
         str(r["machine2_container_run_lines"]), "0", met(r["machine2_container_run_lines"] == 0)),
        ("machine 2: layers written / taken from the registry cache (layers, wheelhouse, bytecode)",
         f"{r['machine2_layers_written']} / {r['machine2_taken_from_registry_cache']}", "", ""),
        ("same digest on both machines" + (" (and as the build without a registry)"
                                           if r["same_digest_as_the_build_without_registry"] is not None else ""),
         yes(r["same_digest_both_machines"]) + ("" if r["same_digest_as_the_build_without_registry"] is None
                                               else f" ({yes(r['same_digest_as_the_build_without_registry'])})"),
         "yes", met(r["same_digest_both_machines"])),
        ("machine 3: `bundler:push` from an empty cache to 127.0.0.1:PORT/team/django:3.2.25",
         fmt_seconds(r["push_s"]), "", ""),
    ]
    if traffic:
        uploaded_layers = sum(1 for blob in traffic["blobs"] if blob["kind"] == "layer" and blob["how"] == "uploaded")
        rows += [
            ("push: uploaded", f"{blobs(traffic['uploaded']['count'])}, {fmt_bytes(traffic['uploaded']['bytes'])}"
             f" ({uploaded_layers} layers)", "only what the registry lacks: no layer (all are in the cache)",
             met(uploaded_layers == 0)),
            ("push: mounted from the cache repository",
             f"{blobs(traffic['mounted']['count'])}, {fmt_bytes(traffic['mounted']['bytes'])}", "", ""),
            ("push: found in the target repository already / not in the registry's log",
             f"{traffic['present']['count']} / {traffic['unknown']['count']}", "", ""),
        ]
    rows += [
        ("push: the registry's storage grew by", fmt_bytes(r["push_registry_storage_growth_bytes"]), "", ""),
        ("push: layer blobs downloaded into machine 3's cache (\"downloaded none of the base\")",
         str(r["push_layer_blobs_downloaded"]), "0", met(r["push_layer_blobs_downloaded"] == 0)),
        ("push: the wheelhouse / bytecode it took from the registry cache into machine 3's cache",
         f"{fmt_bytes(r['push_wheelhouse_bytes_downloaded'])} / {fmt_bytes(r['push_bytecode_bytes_downloaded'])}",
         "", ""),
        ("pushed digest (skopeo inspect) = the tarball's", yes(r["pushed_digest_equals_tarball"]), "yes",
         met(r["pushed_digest_equals_tarball"])),
        ("log files holding the registry password", str(r["login_in_logs_files"]), "0",
         met(r["login_in_logs_files"] == 0)),
        ("peak RSS of the Maven JVM, these three runs", fmt_mib(r["peak_rss_bytes"]), "", ""),
    ]
    header = ("registry cache (issue 10)", "value", "target", "met")
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(table)


def ratio(bundler, docker):
    if bundler is None or docker is None or docker == 0:
        return "—"
    return f"{bundler / docker:.2f}x"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--docker-version", default="")
    parser.add_argument("--podman-version", default="")
    parser.add_argument("--bundler-version", default="")
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    samples = load_samples(work / "samples.tsv")

    maven_start = median(numbers(samples, "bundler", "maven_startup"))
    figures = {}

    def timed(key, label, figure):
        docker = median(numbers(samples, "docker", figure))
        bundler = median(numbers(samples, "bundler", figure))
        figures[key] = {"label": label, "unit": "s", "docker": docker, "bundler": bundler,
                        "docker_runs": numbers(samples, "docker", figure),
                        "bundler_runs": numbers(samples, "bundler", figure),
                        "bundler_beyond_maven_startup":
                            None if bundler is None or maven_start is None else bundler - maven_start}
        for stage in ("base", "compiler", "runner"):
            runs = numbers(samples, "docker", f"{figure}.{stage}")
            if runs:
                figures[key].setdefault("docker_stages", {})[stage] = median(runs)

    timed("cold", "cold build, empty caches, downloads included", "cold")
    timed("warm", "rebuild, nothing changed (median)", "warm")
    timed("app_change", "rebuild after an application-only change (median)", "app_change")
    timed("app_first", "first build of the application (not a figure: run 0)", "app_first")

    start = {}
    for tool in ("docker", "bundler"):
        command = median(numbers(samples, tool, "start_command"))
        true = median(numbers(samples, tool, "start_true"))
        start[tool] = {"django_admin_version": command, "bin_true": true,
                       "beyond_bin_true": None if command is None or true is None else command - true,
                       "django_admin_version_runs": numbers(samples, tool, "start_command"),
                       "bin_true_runs": numbers(samples, tool, "start_true")}
    figures["start"] = {"label": "podman run IMAGE django-admin --version, beyond --entrypoint /bin/true (median)",
                        "unit": "s", "docker": start["docker"]["beyond_bin_true"],
                        "bundler": start["bundler"]["beyond_bin_true"], "detail": start}

    sizes = {}
    for tool in ("docker", "bundler"):
        values = samples.get((tool, "image_size"))
        sizes[tool] = json.loads(values[0][1]) if values else None
    for key, label in (("compressed", "image, compressed (sum of gzip layers)"),
                       ("unpacked", "image, unpacked (sum of layer tars)")):
        figures[f"image_{key}"] = {"label": label, "unit": "bytes",
                                   "docker": sizes["docker"][key] if sizes["docker"] else None,
                                   "bundler": sizes["bundler"][key] if sizes["bundler"] else None}
    figures["image_layers"] = {"label": "image, layers", "unit": "count",
                               "docker": sizes["docker"]["layers"] if sizes["docker"] else None,
                               "bundler": sizes["bundler"]["layers"] if sizes["bundler"] else None}

    rss = {}
    for figure in ("cold", "warm", "app_first", "app_change"):
        values = [v * 1024 for v in numbers(samples, "bundler", f"{figure}.rss_kib")]
        if values:
            rss[figure] = {"max": max(values), "median": median(values), "runs": values}
    figures["peak_rss"] = {"label": "peak RSS of the Maven JVM, any build", "unit": "bytes",
                           "docker": None,
                           "bundler": max((r["max"] for r in rss.values()), default=None),
                           "detail": rss}
    figures["maven_startup"] = {"label": "Maven start-up: `mvn validate` of a pom with no plugin (median)",
                                "unit": "s", "docker": None, "bundler": maven_start,
                                "runs": numbers(samples, "bundler", "maven_startup"),
                                "mvn_version_median": median(numbers(samples, "bundler", "maven_version")),
                                "mvn_version_runs": numbers(samples, "bundler", "maven_version"),
                                "skipped_goal_median": median(numbers(samples, "bundler", "maven_skipped_goal")),
                                "skipped_goal_runs": numbers(samples, "bundler", "maven_skipped_goal")}

    digests = {value for (tool, figure), runs in samples.items()
               if tool == "bundler" and figure in ("cold.digest", "warm.digest") for _, value in runs}
    extra = {
        "docker_base_import_s": median(numbers(samples, "docker", "base_import")),
        "docker_debootstrap_s": median(numbers(samples, "docker", "debootstrap")),
        "bundler_image_digests": sorted(digests),
        "bundler_same_digest_cold_and_warm": len(digests) == 1 if digests else None,
        # Cache directories whose podman run root is over podman's 50 characters: each container
        # run bundler made there waited 20 s more (bench/run.sh's check_cache).
        "podman_runroot_over_50": [value for _, value in samples.get(("machine", "podman_runroot_over_50"), [])],
    }
    skipped = figures["maven_startup"]["skipped_goal_median"]
    warm = figures["warm"]["bundler"]
    figures["warm"]["bundler_beyond_skipped_goal"] = None if warm is None or skipped is None else warm - skipped

    plain_cold_digests = {value for _, value in samples.get(("bundler", "cold.digest"), [])}
    registry = registry_figures(samples, plain_cold_digests)
    if registry:
        figures["registry"] = {"label": "registry cache scenario (issue 10): two machines, one registry, a push",
                               "unit": "mixed", **registry}

    logs = {
        "bundler": {name: bundler_phases(work / "bundler" / "logs" / f"{name}.log")
                    for name in ("cold-1", "warm-1", "app_change-1")},
        "bundler_summary": {name: bundler_summary(work / "bundler" / "logs" / f"{name}.log")
                            for name in ("cold-1", "warm-1", "app_change-1")},
        "registry": {name: bundler_phases(work / "registry" / "logs" / f"{name}.log")
                     for name in ("machine1-1", "machine2-1", "push-1")},
        "registry_summary": {name: bundler_summary(work / "registry" / "logs" / f"{name}.log")
                             for name in ("machine1-1", "machine2-1", "push-1")},
        "docker": {name: {stage: docker_steps(work / "docker" / "logs" / name / f"{stage}.log")
                          for stage in ("base", "compiler", "runner")}
                   for name in ("cold-1", "warm-1", "app_change-1")},
    }

    rows = []
    for key in ("cold", "warm", "app_change", "start"):
        f = figures[key]
        beyond = f.get("bundler_beyond_maven_startup")
        note = fmt_seconds(beyond) if beyond is not None else ""
        if f.get("bundler_beyond_skipped_goal") is not None:
            note += f" ({fmt_seconds(f['bundler_beyond_skipped_goal'])} beyond the skipped build goal)"
        rows.append((f["label"], fmt_seconds(f["docker"]), fmt_seconds(f["bundler"]),
                     ratio(f["bundler"], f["docker"]), note))
    for key in ("image_compressed", "image_unpacked"):
        f = figures[key]
        rows.append((f["label"], fmt_mib(f["docker"]), fmt_mib(f["bundler"]),
                     ratio(f["bundler"], f["docker"]), ""))
    f = figures["image_layers"]
    rows.append((f["label"], str(f["docker"] or "—"), str(f["bundler"] or "—"), "", ""))
    f = figures["peak_rss"]
    rows.append((f["label"], "—", fmt_mib(f["bundler"]), "", ""))
    f = figures["maven_startup"]
    rows.append((f["label"], "—", fmt_seconds(f["bundler"]), "",
                 f"mvn -v: {fmt_seconds(f['mvn_version_median'])}; "
                 f"build goal with -Dbundler.skip: {fmt_seconds(f['skipped_goal_median'])}"))
    f = figures["app_first"]
    rows.append((f["label"], fmt_seconds(f["docker"]), fmt_seconds(f["bundler"]),
                 ratio(f["bundler"], f["docker"]), ""))

    header = ("figure", "docker (BuildKit)", "bundler", "bundler/docker", "bundler beyond Maven start-up")
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    sides = any(tool in ("docker", "bundler") for tool, _ in samples)
    tables = (["\n".join(table)] if sides else []) + ([registry_table(registry, figures["cold"]["bundler"])]
                                                    if registry else [])
    text = "\n\n".join(tables)
    print()
    print(text)
    for runroot in extra["podman_runroot_over_50"]:
        print(f"\nwarning: podman's run root {runroot} is over 50 characters: every container run of"
              " bundler's there waited 20 s more (set BENCH_CACHE_ROOT to a shorter directory)")
    if extra["bundler_same_digest_cold_and_warm"] is False:
        print("\nbundler gave different image digests in the cold and warm builds:",
              ", ".join(extra["bundler_image_digests"]))
    (work / "results.md").write_text(text + "\n")

    loads = {figure: samples.get(("machine", figure), [("", "")])[0][1] for figure in ("load_start", "load_end")}
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": args.command,
        "git": {"commit": git("rev-parse", "HEAD"), "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
                "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))},
        "machine": {**machine(), "loadavg_start": loads["load_start"], "loadavg_end": loads["load_end"]},
        "tools": {"docker": args.docker_version, "podman": args.podman_version,
                  "bundler": args.bundler_version},
        "figures": figures,
        "extra": extra,
        "image_sizes": sizes,
        "logs": logs,
        "samples": [{"tool": tool, "figure": figure, "run": run, "value": value}
                    for (tool, figure), runs in samples.items() for run, value in runs
                    if figure != "image_size"],
    }
    (work / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nAll figures: {work / 'results.json'}")


if __name__ == "__main__":
    main()
