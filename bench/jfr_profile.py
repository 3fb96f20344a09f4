"""Where a JFR recording's CPU samples went: the profile tables of docs/benchmarks.md.

python3 bench/jfr_profile.py RECORDING.jfr [--thread PREFIX] [--skip SECONDS] [--focus FRAME]...

Reads the recording's jdk.ExecutionSample events (`jfr print --json`, the JDK's own tool: JAVA_HOME/bin/jfr or jfr on
the PATH) and prints
  - the samples read: of the threads whose name starts with PREFIX (--thread; Gatling's load runs on its event loops,
    "gatling-"; its main thread starts the run and writes the report), and without those of the first SECONDS after
    the first sample of those threads (--skip: a warm-up);
  - the share of samples whose stack holds a frame of each group below (inclusive time: a sample counts in every group
    it has a frame of);
  - the top frames by samples on top of the stack (self time);
  - for each --focus frame (a prefix of "package.Class.method"), its inclusive share and how that splits by the frame
    it called (its children), so that the cost of a method can be taken apart.
"""
import argparse
import collections
import datetime
import json
import os
import shutil
import subprocess
import sys

GROUPS = [
    ("SigV4 signing in the load run (RequestAuth.sign)", "io.vpcanary.simulations.RequestAuth.sign"),
    ("  the probe's signer (SigV4RequestSigner.sign)", "io.vpcanary.auth.SigV4RequestSigner.sign"),
    ("  the AWS SDK's SigV4 signer", "software.amazon.awssdk.http.auth.aws."),
    ("  credentials resolution", "software.amazon.awssdk.auth.credentials."),
    ("response checks and recording (ResponseRecording)", "io.vpcanary.simulations.ResponseRecording"),
    ("TLS (JSSE, Netty SSL, OpenSSL)", ("sun.security.ssl.", "io.netty.handler.ssl.", "com.sun.crypto.")),
    ("Gatling HTTP client", "io.gatling.http.client."),
    ("JIT / GC / JFR threads (not Java frames)", None),
]


def frame_name(frame):
    m = frame["method"]
    return m["type"]["name"].replace("/", ".") + "." + m["name"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("recording")
    p.add_argument("--thread", default="")
    p.add_argument("--skip", type=float, default=0.0)
    p.add_argument("--focus", action="append", default=[])
    p.add_argument("--top", type=int, default=15)
    a = p.parse_args()
    jfr = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if "JAVA_HOME" in os.environ else shutil.which("jfr")
    out = subprocess.run([jfr, "print", "--json", "--events", "jdk.ExecutionSample", "--stack-depth", "128",
                          a.recording], check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    samples = []
    for e in events:
        thread = (e["values"].get("sampledThread") or {}).get("javaName") or ""
        if not thread.startswith(a.thread):
            continue
        t = datetime.datetime.fromisoformat(e["values"]["startTime"].replace("Z", "+00:00"))
        st = e["values"].get("stackTrace")
        frames = [frame_name(f) for f in (st["frames"] if st else [])]  # top of the stack first
        samples.append((t, frames))
    if a.skip and samples:
        first = min(t for t, _ in samples)
        samples = [(t, f) for t, f in samples if (t - first).total_seconds() >= a.skip]
    n = len(samples)
    if n == 0:
        sys.exit("no execution samples in " + a.recording)
    span = (max(t for t, _ in samples) - min(t for t, _ in samples)).total_seconds()
    print("%d execution samples over %.1f s of threads '%s*'%s" % (n, span, a.thread,
                                                            " after the first %g s" % a.skip if a.skip else ""))

    print("\nshare of samples (inclusive)")
    for label, prefix in GROUPS:
        if prefix is None:
            continue
        prefixes = prefix if isinstance(prefix, tuple) else (prefix,)
        k = sum(1 for _, f in samples if any(x.startswith(prefixes) for x in f))
        print("%6.1f %%  %s" % (100.0 * k / n, label))

    print("\ntop frames (self)")
    top = collections.Counter(f[0] for _, f in samples if f)
    for name, k in top.most_common(a.top):
        print("%6.1f %%  %s" % (100.0 * k / n, name))

    for focus in a.focus:
        inside = 0
        children = collections.Counter()
        for _, f in samples:
            # the outermost frame of the focus (deepest in the list), and what it called
            idx = [i for i, x in enumerate(f) if x.startswith(focus)]
            if not idx:
                continue
            inside += 1
            i = idx[-1]
            children[f[i - 1] if i > 0 else "(self)"] += 1
        print("\n%s: %.1f %% of samples; by callee (share of all samples)" % (focus, 100.0 * inside / n))
        for name, k in children.most_common(a.top):
            print("%6.1f %%  %s" % (100.0 * k / n, name))


if __name__ == "__main__":
    main()
