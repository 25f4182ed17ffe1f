#!/usr/bin/env python3
"""Prints, as JSON, how each blob of a pushed image reached the registry: mounted, uploaded or
found there already.

    python3 push_traffic.py MANIFEST.json REGISTRY.log REPOSITORY

MANIFEST.json is the pushed manifest (`skopeo inspect --raw`): the blobs and their sizes.
REGISTRY.log is the registry's log during the push: its access log lines (`"METHOD URI HTTP/1.1"
STATUS`) say which blobs of REPOSITORY (`team/django`) were mounted (`POST .../blobs/uploads/
?mount=DIGEST&from=...` answered 201), uploaded (`PUT .../blobs/uploads/...?digest=DIGEST` answered
201) or found (`HEAD .../blobs/DIGEST` answered 200 and neither of the others). A blob the log
says nothing of is "unknown". The registry's storage grows only by the uploaded blobs (and the
manifest): a mounted blob is linked into the target repository, not copied.
"""
import json
import re
import sys
import urllib.parse

ACCESS = re.compile(r'"(GET|HEAD|POST|PUT|PATCH|DELETE) (\S+) HTTP/[\d.]+" (\d{3}) ')
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def registry_view(log_text, repository):
    mounted, uploaded, found = set(), set(), set()
    requests = {"mount_201": 0, "mount_202": 0, "upload_put_201": 0, "blob_head_200": 0, "patch": 0}
    prefix = f"/v2/{repository}/blobs/"
    for line in log_text.splitlines():
        match = ACCESS.search(line)
        if not match:
            continue
        method, uri, status = match.group(1), match.group(2), int(match.group(3))
        url = urllib.parse.urlsplit(uri)
        if not url.path.startswith(prefix):
            continue
        query = urllib.parse.parse_qs(url.query)
        if method == "POST" and "mount" in query:
            if status == 201:
                mounted.add(query["mount"][0])
                requests["mount_201"] += 1
            else:
                requests["mount_202"] += 1
        elif method == "PUT" and "digest" in query and status == 201:
            uploaded.add(query["digest"][0])
            requests["upload_put_201"] += 1
        elif method == "PATCH":
            requests["patch"] += 1
        elif method == "HEAD" and status == 200:
            match = DIGEST.search(url.path)
            if match:
                found.add(match.group(0))
                requests["blob_head_200"] += 1
    return mounted, uploaded, found, requests


def main(manifest_path, registry_log, repository):
    manifest = json.load(open(manifest_path, encoding="utf-8"))
    blobs = [("config", manifest["config"])] + [("layer", layer) for layer in manifest["layers"]]
    mounted, uploaded, found, requests = registry_view(
        open(registry_log, encoding="utf-8", errors="replace").read(), repository)
    rows, totals = [], {how: {"count": 0, "bytes": 0} for how in ("mounted", "uploaded", "present", "unknown")}
    for kind, blob in blobs:
        digest, size = blob["digest"], blob["size"]
        if digest in uploaded:
            how = "uploaded"
        elif digest in mounted:
            how = "mounted"
        elif digest in found:
            how = "present"
        else:
            how = "unknown"
        totals[how]["count"] += 1
        totals[how]["bytes"] += size
        rows.append({"kind": kind, "digest": digest, "size": size, "how": how})
    print(json.dumps({"blobs": rows, **totals, "requests": requests,
                      "image_bytes": sum(blob["size"] for _, blob in blobs)}))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
