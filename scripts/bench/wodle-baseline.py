# Benchmark baseline: what Wazuh's aws-s3 wodle does per event. For every event it serialises
# the JSON, opens a new AF_UNIX datagram socket, connects, sends `1:Wazuh-AWS:` + JSON and
# closes the socket again.
#
# usage: python3 wodle-baseline.py PATH EVENTS SIZE
import json
import socket
import sys

HEADER = "1:Wazuh-AWS:"


def make_event(seq, pad):
    # The same shape as the Node.js side of the benchmark builds.
    return {
        "integration": "aws",
        "aws": {
            "log_info": {"log_file": "AWSLogs/bench/events.json.gz", "s3bucket": "bench-bucket"},
            "seq": seq,
            "message": pad,
            "source": "custom",
        },
    }


def padding_for(size):
    overhead = len(HEADER) + len(json.dumps(make_event(0, "")))
    return "p" * max(0, size - overhead)


def main():
    path, events, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pad = padding_for(size)
    for seq in range(events):
        message = HEADER + json.dumps(make_event(seq, pad))
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.connect(path)
        sock.send(message.encode())
        sock.close()


main()
