#!/usr/bin/python3
"""Host-side helpers for scenario host scripts run by scripts/vm-run.sh.

Environment (set by vm-run.sh): VA_QMP (QMP unix socket), VA_LOG (serial log),
VA_RESULTS (results file), VA_CTL (control-port FIFO prefix).

  host.py wait-mark TEXT TIMEOUT   wait for the guest's `va_marker TEXT`
  host.py wait-log REGEX TIMEOUT   wait for a serial-log line matching REGEX
  host.py qmp CMD [JSON-ARGS]      run a QMP command, print its return (JSON)
  host.py qmp-storm COUNT CMD JSON-ARGS...
                                   run CMD COUNT times on one QMP connection,
                                   with each JSON-ARGS in turn; print the
                                   seconds it took
  host.py send TEXT                send a line to the guest (`va_wait_host`,
                                   `va_host_value`)
  host.py result NAME PASS|FAIL [DETAIL...]   record a result
  host.py hostfwd GUESTPORT        the host port of the user network's TCP
                                   hostfwd to GUESTPORT (`info usernet`)
  host.py tcp-send PORT FILE TIMEOUT
                                   connect to 127.0.0.1:PORT, send FILE, close;
                                   fail if it stalls for TIMEOUT seconds
  host.py tcp-recv PORTFILE TIMEOUT
                                   listen on a free 127.0.0.1 port, write it to
                                   PORTFILE, take one connection and read it to
                                   the end within TIMEOUT seconds; print
                                   "BYTES SHA256 SECONDS"

Exit status 1 on timeout or error; a wait also gives up at once when the guest
has finished (VA-GUEST-DONE) without the awaited line.
"""
import hashlib
import json
import os
import re
import socket
import sys
import time

PREFIX = re.compile(r'\[\s*\d+\.\d+\] ')


def env(name):
    val = os.environ.get(name)
    if not val:
        sys.exit(f'host.py: {name} is not set (run under scripts/vm-run.sh)')
    return val


def log_lines():
    """Complete serial-log lines, without CR and printk timestamp."""
    with open(env('VA_LOG'), 'rb') as f:
        data = f.read().decode('utf-8', 'replace')
    for line in data.split('\n')[:-1]:
        # a printk line may land in the middle of a line of guest output
        yield from PREFIX.split(line.replace('\r', ''))


def wait_log(pattern, timeout):
    rx = re.compile(pattern)
    deadline = time.monotonic() + float(timeout)
    while True:
        done = False
        for line in log_lines():
            if rx.search(line):
                return line
            done = done or line.startswith('VA-GUEST-DONE')
        if done:
            sys.exit(f'host.py: guest finished without /{pattern}/')
        if time.monotonic() > deadline:
            sys.exit(f'host.py: timed out after {timeout}s waiting for /{pattern}/')
        time.sleep(0.2)


def qmp(cmd, args=None):
    return qmp_calls([(cmd, args)])[0]


def qmp_calls(calls):
    """Run the (command, arguments) pairs in order on one connection."""
    path = env('VA_QMP')
    deadline = time.monotonic() + 20
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    while True:
        try:
            sock.connect(path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                sys.exit(f'host.py: cannot connect to QMP at {path}')
            time.sleep(0.2)
    sock.settimeout(60)
    rfile = sock.makefile('r', encoding='utf-8')

    def call(execute, arguments=None):
        req = {'execute': execute, 'id': execute}
        if arguments is not None:
            req['arguments'] = arguments
        sock.sendall(json.dumps(req).encode() + b'\n')
        for line in rfile:
            msg = json.loads(line)
            if 'event' in msg:
                continue
            if 'error' in msg:
                err = msg['error']
                sys.exit(f"host.py: qmp {execute}: {err.get('class')}: {err.get('desc')}")
            if 'return' in msg:
                return msg['return']
        sys.exit(f'host.py: qmp {execute}: connection closed')

    # An event meant for the previous client (BALLOON_CHANGE while a
    # balloon moves fast) may still come first on a new connection.
    greeting = json.loads(rfile.readline() or 'null')
    while greeting and 'event' in greeting:
        greeting = json.loads(rfile.readline() or 'null')
    if not greeting or 'QMP' not in greeting:
        sys.exit(f'host.py: unexpected QMP greeting: {greeting!r}')
    call('qmp_capabilities')
    ret = [call(cmd, args) for cmd, args in calls]
    sock.close()
    return ret


def hostfwd(guest_port):
    # "  TCP[HOST_FORWARD]  8  127.0.0.1 46027  10.0.2.15  5555  0  0"
    usernet = qmp('human-monitor-command', {'command-line': 'info usernet'})
    for line in usernet.splitlines():
        f = line.split()
        if len(f) >= 6 and f[0] == 'TCP[HOST_FORWARD]' and f[5] == guest_port:
            return f[3]
    sys.exit(f'host.py: no TCP hostfwd to guest port {guest_port}: {usernet!r}')


def tcp_send(port, path, timeout):
    with open(path, 'rb') as f, \
         socket.create_connection(('127.0.0.1', int(port)),
                                  timeout=float(timeout)) as s:
        s.sendfile(f)


def tcp_recv(portfile, timeout):
    deadline = time.monotonic() + float(timeout)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as srv:
        srv.bind(('127.0.0.1', 0))
        srv.listen(1)
        with open(portfile + '.tmp', 'w') as f:
            f.write(f'{srv.getsockname()[1]}\n')
        os.rename(portfile + '.tmp', portfile)
        srv.settimeout(float(timeout))
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            sys.exit(f'host.py: no connection within {timeout}s')
        start = time.monotonic()
        total, sha = 0, hashlib.sha256()
        with conn:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    sys.exit(f'host.py: {total} bytes, no end within {timeout}s')
                conn.settimeout(left)
                try:
                    data = conn.recv(1 << 16)
                except socket.timeout:
                    continue
                if not data:
                    break
                total += len(data)
                sha.update(data)
        print(f'{total} {sha.hexdigest()} {time.monotonic() - start:.2f}')


def send(text):
    wait_log(r'^VA-CTL-READY', 120)
    try:
        fd = os.open(env('VA_CTL') + '.in', os.O_WRONLY | os.O_NONBLOCK)
    except OSError as e:
        sys.exit(f'host.py: control port: {e}')
    try:
        os.write(fd, text.encode() + b'\n')
    finally:
        os.close(fd)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    sub, args = argv[1], argv[2:]
    if sub == 'wait-mark' and len(args) == 2:
        wait_log(r'^VA-MARK ' + re.escape(args[0]) + r'\s*$', args[1])
    elif sub == 'wait-log' and len(args) == 2:
        print(wait_log(args[0], args[1]))
    elif sub == 'qmp' and len(args) in (1, 2):
        arguments = json.loads(args[1]) if len(args) == 2 else None
        print(json.dumps(qmp(args[0], arguments)))
    elif sub == 'qmp-storm' and len(args) >= 3 and args[0].isdigit():
        each = [json.loads(a) for a in args[2:]]
        start = time.monotonic()
        qmp_calls([(args[1], each[i % len(each)]) for i in range(int(args[0]))])
        print(f'{time.monotonic() - start:.2f}')
    elif sub == 'send' and len(args) == 1:
        send(args[0])
    elif sub == 'result' and len(args) >= 2 and args[1] in ('PASS', 'FAIL'):
        detail = ' '.join(args[2:]).replace('\n', ' ')
        with open(env('VA_RESULTS'), 'a') as f:
            f.write(f'VA-RESULT {args[0]} {args[1]} {detail}'.rstrip() + '\n')
    elif sub == 'hostfwd' and len(args) == 1:
        print(hostfwd(args[0]))
    elif sub == 'tcp-send' and len(args) == 3:
        tcp_send(args[0], args[1], args[2])
    elif sub == 'tcp-recv' and len(args) == 2:
        tcp_recv(args[0], args[1])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
