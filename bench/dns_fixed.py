"""A DNS server for benchmarks: answers every A query, whatever the name, with one IPv4 address (TTL 60), and every
other query with no answer (NOERROR). UDP only, on 127.0.0.1; no library needed.

As a command: python3 bench/dns_fixed.py ADDRESS [PORT] serves until killed; it prints "listening PORT" once bound
(port 0 or none: an ephemeral port). bench/load-throughput.sh uses it as the resolver of a vantage
(vpcanary.resolver), so that an estate's names lead to nginx on loopback.
"""
import socket
import struct
import sys


def answer(query, address):
    qid, flags, qd = struct.unpack(">HHH", query[:6])
    if qd != 1:
        return struct.pack(">HHHHHH", qid, 0x8181, 0, 0, 0, 0)  # FORMERR with nothing else
    i = 12
    while query[i]:
        i += query[i] + 1
    qtype, qclass = struct.unpack(">HH", query[i + 1:i + 5])
    question = query[12:i + 5]
    rd = flags & 0x0100
    if qtype != 1 or qclass != 1:
        return struct.pack(">HHHHHH", qid, 0x8400 | rd, 1, 0, 0, 0) + question
    record = struct.pack(">HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(address)
    return struct.pack(">HHHHHH", qid, 0x8400 | rd, 1, 1, 0, 0) + question + record


def main():
    address = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", port))
        print("listening %d" % s.getsockname()[1], flush=True)
        while True:
            data, peer = s.recvfrom(4096)
            try:
                s.sendto(answer(data, address), peer)
            except (struct.error, IndexError):
                pass  # not a DNS query: no answer


if __name__ == "__main__":
    main()
