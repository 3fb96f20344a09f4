"""The logic of bin/python-tools (run it through that wrapper): python_tools.py PIN_FILE [COMMAND...].

For each command, prints the path of the executable to use, one a line. A command on PATH is used when the version of
its package (asked of the Python that runs it) is the pinned one. Otherwise every pin is installed with pip into a
virtual environment in the build cache, named after a hash of the pin file, and its commands are used. When pip
cannot install them, a command on PATH of another version is used with a warning; with none, one message names what to
install and the exit status is 1. Everything but the paths goes to stderr.
"""
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import venv

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;#]+)")
PROVIDES = re.compile(r"#\s*provides:\s*(\S+)")
VERSION_OF = "import importlib.metadata, sys; print(importlib.metadata.version(sys.argv[1]))"


def say(message):
    print("python-tools: " + message, file=sys.stderr, flush=True)


def read_pins(pin_file):
    """[(spec, distribution, version, command)] in file order."""
    pins = []
    with open(pin_file, encoding="utf-8") as f:
        for line in f:
            m = PIN.match(line.strip())
            p = PROVIDES.search(line)
            if m and p:
                pins.append((line.split("#", 1)[0].strip(), m.group(1), m.group(3), p.group(1)))
    if not pins:
        raise SystemExit("python-tools: no 'name==version  # provides: command' lines in " + pin_file)
    return pins


def interpreter_of(path):
    """The Python that runs a console script: its #! line when that names a Python, else the python3 on PATH."""
    try:
        with open(path, "rb") as f:
            first = f.readline(500).decode("utf-8", "replace")
    except OSError:
        first = ""
    if first.startswith("#!"):
        words = first[2:].split()
        if words and os.path.basename(words[0]) == "env" and len(words) > 1:
            words = words[1:]
        if words and "python" in os.path.basename(words[0]):
            return shutil.which(words[0]) or words[0]
    return shutil.which("python3") or sys.executable


def installed_version(path, distribution):
    try:
        out = subprocess.run([interpreter_of(path), "-c", VERSION_OF, distribution], capture_output=True,
                             text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def install_hint(pins):
    return "pip install " + " ".join("'%s'" % spec for spec, _, _, _ in pins)


def cache_dir(pin_file):
    base = os.environ.get("VPCANARY_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "vpcanary")
    with open(pin_file, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    return os.path.join(base, "python-" + digest)


def ensure_venv(pin_file, pins):
    """The bin folder of a virtual environment holding every pin, or None when pip could not install them."""
    env = cache_dir(pin_file)
    os.makedirs(os.path.dirname(env), exist_ok=True)
    done = os.path.join(env, ".installed")
    with open(env + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another build may be creating the same environment
        bindir = os.path.join(env, "bin")
        if os.path.exists(done):
            return bindir
        shutil.rmtree(env, ignore_errors=True)
        say("installing " + " ".join(spec for spec, _, _, _ in pins) + " into the virtual environment " + env)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(env)
        except Exception as e:  # noqa: BLE001 - any failure here means no environment
            say("could not create a virtual environment: %s" % e)
            shutil.rmtree(env, ignore_errors=True)
            return None
        command = [os.path.join(bindir, "python"), "-m", "pip", "install", "--disable-pip-version-check",
                   "--no-input", "--retries", "1", "--timeout", os.environ.get("VPCANARY_PIP_TIMEOUT", "60"),
                   "-r", pin_file]
        if os.environ.get("VPCANARY_PIP_INDEX_URL"):
            command[4:4] = ["--index-url", os.environ["VPCANARY_PIP_INDEX_URL"]]
        result = subprocess.run(command, stdout=sys.stderr, stderr=sys.stderr)
        if result.returncode != 0:
            say("pip failed (exit %d)" % result.returncode)
            shutil.rmtree(env, ignore_errors=True)
            return None
        with open(done, "w", encoding="utf-8") as f:
            f.write(" ".join(spec for spec, _, _, _ in pins) + "\n")
        return bindir


def main(argv):
    pin_file = os.path.abspath(argv[1])
    pins = read_pins(pin_file)
    by_command = {command: (spec, dist, version) for spec, dist, version, command in pins}
    wanted = argv[2:] or [command for _, _, _, command in pins]
    unknown = [c for c in wanted if c not in by_command]
    if unknown:
        raise SystemExit("python-tools: %s not in %s (it pins: %s)" % (", ".join(unknown), pin_file,
                                                                          ", ".join(by_command)))
    chosen, fallback, missing = {}, {}, []
    for command in wanted:
        spec, dist, version = by_command[command]
        found = shutil.which(command)
        if found is None:
            say("%s is not on PATH" % command)
            missing.append(command)
            continue
        have = installed_version(found, dist)
        if have == version:
            chosen[command] = found
        else:
            say("%s on PATH (%s) is %s %s, python-tools.txt pins %s: using a virtual environment instead"
                % (command, found, dist, have or "of unknown version", spec))
            fallback[command] = found
            missing.append(command)
    if missing:
        bindir = ensure_venv(pin_file, pins)
        for command in missing:
            if bindir is not None and os.access(os.path.join(bindir, command), os.X_OK):
                chosen[command] = os.path.join(bindir, command)
            elif command in fallback:
                say("WARNING: could not install %s; using %s, which is not the pinned version"
                    % (by_command[command][0], fallback[command]))
                chosen[command] = fallback[command]
        absent = [c for c in missing if c not in chosen]
        if absent:
            say("%s missing and could not be installed. Install the pinned tools: %s"
                % (", ".join(absent), install_hint(pins)))
            return 1
    for command in wanted:
        print(chosen[command])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
