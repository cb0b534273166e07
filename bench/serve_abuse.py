"""Hostile clients for bench/serve-abuse.sh (python3 standard library only; 127.0.0.1 only).

  python3 bench/serve_abuse.py slow-body PORT N SECONDS IMAGE   N connections sending a predict
      request's body one byte a second; meanwhile one normal request; prints what each got
  python3 bench/serve_abuse.py slow-headers PORT N SECONDS       the same, sending the headers
  python3 bench/serve_abuse.py sigterm PORT PID IMAGE             half a request, SIGTERM to PID,
      the other half; prints the answer
"""
import os
import signal
import socket
import sys
import threading
import time


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=120)
    return s


def status_line(data):
    head = data.split(b"\r\n", 1)[0].decode("latin-1")
    body = data.split(b"\r\n\r\n", 1)[1].decode("utf-8", "replace") if b"\r\n\r\n" in data else ""
    return head + ("  " + body.strip()[:160] if body else "")


def read_all(s):
    chunks = []
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
            data = b"".join(chunks)
            if b"\r\n\r\n" in data:
                head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
                for line in head.split("\r\n"):
                    if line.startswith("content-length:"):
                        n = int(line.split(":")[1])
                        if len(data.split(b"\r\n\r\n", 1)[1]) >= n:
                            return data
    except OSError as e:
        chunks.append(("<" + type(e).__name__ + ">").encode())
    return b"".join(chunks)


def normal_request(port, image):
    body = open(image, "rb").read()
    t0 = time.time()
    s = connect(port)
    s.sendall(b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body) + body)
    answer = read_all(s)
    s.close()
    return time.time() - t0, status_line(answer)


def slow(port, n, seconds, image, what):
    results = [None] * n
    started = time.time()
    head = (b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
            b"Content-Length: 1000\r\n\r\n")

    def client(i):
        try:
            s = connect(port)
        except OSError as e:
            results[i] = (0, "connect: " + str(e))
            return
        to_send = head if what == "slow-headers" else None
        if what == "slow-body":
            s.sendall(head)
            to_send = b"x" * 1000
        sent = 0
        try:
            s.settimeout(1.0)
            while time.time() - started < seconds and sent < len(to_send):
                s.sendall(to_send[sent:sent + 1])
                sent += 1
                try:
                    b = s.recv(65536)
                    if b:  # the server answered (and will close): read the rest
                        s.settimeout(10)
                        results[i] = (time.time() - started, status_line(b + read_all(s)))
                        s.close()
                        return
                    results[i] = (time.time() - started, "closed by the server without an answer")
                    s.close()
                    return
                except socket.timeout:
                    pass
            results[i] = (time.time() - started, "still open after %d s (%d bytes sent)"
                          % (seconds, sent))
        except OSError as e:
            results[i] = (time.time() - started, "connection " + type(e).__name__)
        s.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    time.sleep(3)
    took, line = normal_request(port, image)
    print("meanwhile, a normal request: %s in %.2f s" % (line, took))
    for t in threads:
        t.join()
    summary = {}
    for took, line in results:
        key = line.split("  ")[0]
        summary.setdefault(key, []).append(took)
    for key, times in sorted(summary.items()):
        print("%3d of %d slow connections: %s (after %.1f-%.1f s)"
              % (len(times), n, key, min(times), max(times)))
    answered = [line for _, line in results if line.startswith("HTTP")]
    if answered:
        print("  e.g. " + answered[0])


def sigterm(port, pid, image):
    body = open(image, "rb").read()
    s = connect(port)
    s.sendall(b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body) + body[:len(body) // 2])
    time.sleep(1)
    os.kill(pid, signal.SIGTERM)
    t0 = time.time()
    time.sleep(1)
    s.sendall(body[len(body) // 2:])
    answer = read_all(s)
    print("SIGTERM sent with half the body received; the other half 1 s later: %s (%.1f s after"
          " SIGTERM)" % (status_line(answer), time.time() - t0))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd in ("slow-body", "slow-headers"):
        slow(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]),
             sys.argv[5] if len(sys.argv) > 5 else None, cmd)
    elif cmd == "sigterm":
        sigterm(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit("unknown command " + cmd)
