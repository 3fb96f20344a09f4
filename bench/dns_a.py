"""One DNS A query over UDP to one server, as the bench scripts ask the lab's resolver views (no library needed).

As a command: python3 bench/dns_a.py NAME SERVER PORT prints the first IPv4 address of the answer.
As a module: query_a(name, server, port) returns (addresses, seconds the query took, send to answer).
"""
import random
import socket
import struct
import sys
import time


def query_a(name, server, port, timeout=3.0):
    qid = random.randrange(65536)
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        start = time.perf_counter()
        s.sendto(q, (server, port))
        data, _ = s.recvfrom(4096)
        took = time.perf_counter() - start
    rid, flags, qd, an = struct.unpack(">HHHH", data[:8])
    if rid != qid or flags & 0xF != 0 or an == 0:
        raise LookupError("no answer for %s from %s:%d (rcode %d)" % (name, server, port, flags & 0xF))

    def skip(i):
        while data[i]:
            if data[i] & 0xC0 == 0xC0:
                return i + 2
            i += data[i] + 1
        return i + 1

    i = skip(12) + 4
    addresses = []
    for _ in range(an):
        i = skip(i)
        rtype, _, _, rdlen = struct.unpack(">HHIH", data[i:i + 10])
        i += 10
        if rtype == 1:
            addresses.append(socket.inet_ntoa(data[i:i + 4]))
        i += rdlen
    return addresses, took


if __name__ == "__main__":
    found, _ = query_a(sys.argv[1], sys.argv[2], int(sys.argv[3]))
    if not found:
        sys.exit("no A record for %s" % sys.argv[1])
    print(found[0])
