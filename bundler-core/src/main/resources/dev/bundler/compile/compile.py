"""bundler's compile stage, run once inside the compiler's container.

Runs `pip wheel` when asked, then byte-compiles Python sources for the image, reproducibly:
unchecked-hash .pyc files (PEP 552), which Python loads without comparing them to the source's
time, each compiled with the path the source has in the image (so tracebacks name it). Nothing
is written next to the sources: every .pyc goes under the output directory.

    python3.X compile.py --output DIR [--system LIST] [--wheels DIR SITE] [--pip ARG...]

--system LIST  lines "SOURCE<TAB>PATH": compile SOURCE as if it were PATH in the image;
               the .pyc goes to DIR/system/<PATH's __pycache__ name>.
--wheels W S   compile the Python files of every wheel in W as installed in site-packages S;
               the .pyc files go to DIR/wheels/<wheel file name>/<path under S>.
--pip ...      run `python -m pip wheel ...` first; the other work starts while it runs.
"""
import concurrent.futures
import importlib.util
import os
import py_compile
import subprocess
import sys
import tempfile
import zipfile

MODE = py_compile.PycInvalidationMode.UNCHECKED_HASH


def compile_one(source_bytes, source_path, image_path, target):
    """Compiles one source; returns None, or why it was skipped (as pip does, it skips errors)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if source_path is None:
        with tempfile.NamedTemporaryFile(suffix=".py", delete=False) as scratch:
            scratch.write(source_bytes)
            source_path = scratch.name
        remove = True
    else:
        remove = False
    try:
        py_compile.compile(source_path, cfile=target, dfile=image_path, doraise=True,
                           invalidation_mode=MODE)
        return None
    except (py_compile.PyCompileError, SyntaxError, ValueError, UnicodeError) as error:
        return "%s: %s" % (image_path, str(error).splitlines()[0] if str(error) else error)
    finally:
        if remove:
            os.unlink(source_path)


def pyc_name(image_path):
    return importlib.util.cache_from_source(image_path)


def system_jobs(listing, output):
    with open(listing, encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line:
                continue
            source, image_path = line.split("\t")
            target = os.path.join(output, "system", pyc_name(image_path).lstrip("/"))
            yield None, source, image_path, target


def wheel_members(wheel):
    """(path under site-packages, bytes) of every Python file the wheel installs there."""
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith(".py"):
                continue
            top = name.split("/", 1)[0]
            relative = None
            if top.endswith(".data"):
                parts = name.split("/", 2)
                if len(parts) == 3 and parts[1] in ("purelib", "platlib"):
                    relative = parts[2]
            elif not top.endswith(".dist-info"):
                relative = name
            if relative:
                yield relative, archive.read(name)


def wheel_jobs(directory, site, output):
    for wheel in sorted(os.listdir(directory)):
        if not wheel.endswith(".whl"):
            continue
        for relative, source in wheel_members(os.path.join(directory, wheel)):
            image_path = site.rstrip("/") + "/" + relative
            target = os.path.join(output, "wheels", wheel,
                                  os.path.relpath(pyc_name(image_path), site))
            yield source, None, image_path, target


def run(jobs, pool):
    return [pool.submit(compile_one, *job) for job in jobs]


def main(argv):
    output, system, wheels, pip = None, None, None, None
    i = 0
    while i < len(argv):
        if argv[i] == "--output":
            output = argv[i + 1]
            i += 2
        elif argv[i] == "--system":
            system = argv[i + 1]
            i += 2
        elif argv[i] == "--wheels":
            wheels = (argv[i + 1], argv[i + 2])
            i += 3
        elif argv[i] == "--pip":
            pip = argv[i + 1:]
            break
        else:
            sys.exit("compile.py: unknown argument " + argv[i])
    with concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        futures = run(system_jobs(system, output), pool) if system and output else []
        if pip is not None:
            code = subprocess.call([sys.executable, "-m", "pip", "wheel"] + pip)
            if code != 0:
                for future in futures:
                    future.cancel()
                return code
        if wheels and output:
            futures += run(wheel_jobs(wheels[0], wheels[1], output), pool)
        skipped = [f.result() for f in futures if f.result()]
    for reason in skipped:
        print("bytecode: not compiled (as pip would skip it too): " + reason)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
