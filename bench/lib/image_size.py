#!/usr/bin/env python3
"""Prints an image's layer sizes as JSON: compressed (what a push uploads) and unpacked.

    python3 image_size.py IMAGE.tar

IMAGE.tar is an OCI archive (bundler's image.tar) or a `docker save` archive. A gzip layer counts
its blob size as compressed and its gunzipped size as unpacked; an uncompressed layer (as
`docker save` writes them) counts its size as unpacked and its gzip -6 size as compressed, which is
what `docker push` would upload (Go's default gzip level is 6). Both images are measured alike.
"""
import json
import sys
import tarfile
import zlib

CHUNK = 1 << 20


def measure(stream):
    """(compressed, unpacked) sizes of one layer blob, read once."""
    data = stream.read(CHUNK)
    gzipped = data[:2] == b"\x1f\x8b"
    codec = zlib.decompressobj(31) if gzipped else zlib.compressobj(6, zlib.DEFLATED, 31)
    convert = codec.decompress if gzipped else codec.compress
    read, converted = 0, 0
    while data:
        read += len(data)
        converted += len(convert(data))
        data = stream.read(CHUNK)
    converted += len(codec.flush())
    return (read, converted) if gzipped else (converted, read)


def layer_paths(archive):
    names = set(archive.getnames())
    if "index.json" in names:  # OCI archive
        def blob(digest):
            return "blobs/" + digest.replace(":", "/", 1)

        manifest = json.load(archive.extractfile("index.json"))["manifests"][0]
        while True:
            document = json.load(archive.extractfile(blob(manifest["digest"])))
            if "manifests" in document:  # an index: take its first image
                manifest = document["manifests"][0]
                continue
            return [blob(layer["digest"]) for layer in document["layers"]]
    manifest = json.load(archive.extractfile("manifest.json"))[0]  # docker save
    return manifest["Layers"]


def main(path):
    with tarfile.open(path) as archive:
        layers = []
        for name in layer_paths(archive):
            compressed, unpacked = measure(archive.extractfile(name))
            layers.append({"compressed": compressed, "unpacked": unpacked})
    print(json.dumps({
        "layers": len(layers),
        "compressed": sum(layer["compressed"] for layer in layers),
        "unpacked": sum(layer["unpacked"] for layer in layers),
        "per_layer": layers,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
