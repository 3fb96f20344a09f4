"""The comparison half of bench/probe-phases.sh: the probe's phase timings beside curl's on the same routes.

python3 bench/probe_phases.py ENV_JSON REPS PROBE_JSON...

Each PROBE_JSON is the `--json` document of one `vpcanary probe` process (its last run). For every probe outcome with
an HTTP status, the same route is sent REPS times with curl: the outcome's URL, the headers of the lab endpoint with
the same API, access path and region (the environment file's `headers`), the lab CA, and --resolve to the address the
resolver view of the outcome's vantage gives (asked once per repetition; that query's time is curl's DNS column, since
curl with --resolve does no lookup of its own). Routes are sent round-robin, one fresh curl process (one connection)
per request. Prints the median of each phase per route and over all routes, in milliseconds.
"""
import json
import os
import statistics
import subprocess
import sys
from urllib.parse import urlsplit

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dns_a import query_a  # noqa: E402

PHASES = ["dns", "connect", "tls", "ttfb", "total"]
CURL_FORMAT = "%{http_code} %{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}"


def curl_once(url, headers, address, ca):
    u = urlsplit(url)
    cmd = ["curl", "-sS", "-o", "/dev/null", "--max-time", "10", "--cacert", ca,
           "--resolve", "%s:%d:%s" % (u.hostname, u.port, address), "-w", CURL_FORMAT]
    for name, value in headers.items():
        cmd += ["-H", "%s: %s" % (name, value)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=20, check=True).stdout.split()
    status = int(out[0])
    lookup, connect, app, start, total = (float(x) * 1000 for x in out[1:])
    # curl's times are cumulative from the start; the probe's phases are intervals.
    return status, {"connect": connect - lookup, "tls": app - connect, "ttfb": start - app, "total": total}


def fmt(values):
    return "%7.1f" % statistics.median(values) if values else "%7s" % "-"


def main():
    env = json.load(open(sys.argv[1]))
    reps = int(sys.argv[2])
    probe_docs = [json.load(open(f)) for f in sys.argv[3:]]
    routes = {}
    for doc in probe_docs:
        for c in doc["checks"]:
            if c["status"] is None:
                continue
            key = (c["api"], c["check"], c["accessPath"], c["region"], c["vantage"])
            r = routes.setdefault(key, {"url": c["url"], "probe": {p: [] for p in PHASES},
                                        "curl": {p: [] for p in PHASES}, "statuses": set()})
            for p in PHASES:
                v = c["phases"][p + "Ms"]
                if v is not None:
                    r["probe"][p].append(v)
    if not routes:
        sys.exit("probe-phases: the probe got no HTTP answer on any route")
    for (api, _, path, region, vantage), r in routes.items():
        endpoint = next(e for e in env["endpoints"]
                        if e["api"] == api and e["accessPath"] == path and e["region"] == region)
        r["headers"] = endpoint["headers"] or {}
        server, port = env["resolvers"][vantage].rsplit(":", 1)
        r["resolver"] = (server, int(port))
    for _ in range(reps):
        for r in routes.values():
            addresses, took = query_a(urlsplit(r["url"]).hostname, *r["resolver"])
            status, phases = curl_once(r["url"], r["headers"], addresses[0], env["ca"])
            r["statuses"].add(status)
            r["curl"]["dns"].append(took * 1000)
            for p, v in phases.items():
                r["curl"][p].append(v)

    head = " ".join("%7s" % p for p in ["DNS", "CONN", "TLS", "TTFB", "TOTAL"])
    print("%-66s %-6s %s | %s" % ("route (api check access-path region from)", "status", "probe: " + head,
                                  "curl:  " + head))
    pooled = {"probe": {p: [] for p in PHASES}, "curl": {p: [] for p in PHASES}}
    for key, r in routes.items():
        line = [fmt(r["probe"][p]) for p in PHASES], [fmt(r["curl"][p]) for p in PHASES]
        print("%-66s %-6s        %s |        %s" % (" ".join(key), ",".join(map(str, sorted(r["statuses"]))),
                                                  " ".join(line[0]), " ".join(line[1])))
        for side in pooled:
            for p in PHASES:
                pooled[side][p] += r[side][p]
    print("%-66s %-6s        %s |        %s" % ("all routes (median of every sample)", "",
                                              " ".join(fmt(pooled["probe"][p]) for p in PHASES),
                                              " ".join(fmt(pooled["curl"][p]) for p in PHASES)))
    n_probe = max(len(r["probe"]["total"]) for r in routes.values())
    print("samples per route: probe %d, curl %d; milliseconds, medians" % (n_probe, reps))


if __name__ == "__main__":
    main()
