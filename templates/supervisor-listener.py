# supervisord's event listener for si-service, speaking its protocol on stdin and stdout:
# - a program that goes FATAL (supervisord gave up starting it): writes its name into the file
#   given as the argument and stops supervisord; the entrypoint then exits with status 70, so
#   that the container is restarted instead of answering 502;
# - nginx's master exiting unexpectedly (kill -9) leaves its workers holding port 8080: they
#   get SIGQUIT (finish their requests, close the port) so that the restarted nginx can listen.
import os
import signal
import sys

marker = sys.argv[1]
events = sys.stdin.buffer
answers = sys.stdout.buffer


def fields(text):
    return dict(token.split(":", 1) for token in text.split() if ":" in token)


def say(message):
    sys.stderr.write("supervisor-listener: %s\n" % message)
    sys.stderr.flush()


def orphaned_nginx():
    """The nginx processes whose master is gone (they were given to PID 1)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    stat = f.read()
            except OSError:
                continue
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            if name == "nginx" and ppid == 1:
                yield int(entry)


while True:
    answers.write(b"READY\n")
    answers.flush()
    header = fields(events.readline().decode())
    payload = fields(events.read(int(header.get("len", "0"))).decode())
    answers.write(b"RESULT 2\nOK")
    answers.flush()
    event = header.get("eventname")
    name = payload.get("processname", "a program")
    if event == "PROCESS_STATE_FATAL":
        with open(marker + ".tmp", "w") as f:
            f.write(name + "\n")
        os.replace(marker + ".tmp", marker)
        say("%s is FATAL: stopping supervisord" % name)
        os.kill(os.getppid(), signal.SIGTERM)
    elif event == "PROCESS_STATE_EXITED" and name == "nginx" and payload.get("expected") == "0":
        for pid in orphaned_nginx():
            say("nginx exited unexpectedly: ending its orphaned worker %d" % pid)
            try:
                os.kill(pid, signal.SIGQUIT)
            except OSError:
                pass
