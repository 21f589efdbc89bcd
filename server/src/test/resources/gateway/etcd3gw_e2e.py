"""Drives Debian's python3-etcd3gw (etcd's JSON gateway client, used by OpenStack) end to end.

Usage: etcd3gw_e2e.py HOST PORT. Prints one line per checked step; exits 1 at the first that
does not hold. Run by Etcd3gwTest against real etcd 3.4 and against pekko-etcd.
"""
import sys

from etcd3gw.client import Etcd3Client
from etcd3gw import utils
from etcd3gw.lock import Lock


def check(name, cond, detail=""):
    if not cond:
        print("FAIL %s %s" % (name, detail), flush=True)
        sys.exit(1)
    print("ok %s" % name, flush=True)


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    c = Etcd3Client(host=host, port=port, api_path="/v3/")

    check("status", c.status()["header"]["member_id"] != "")
    members = c.members()
    check("members", len(members) == 1 and members[0]["clientURLs"], str(members))

    # put / get / prefix / delete
    check("put", c.put("/gw/a", "1"))
    c.put("/gw/b", "2")
    c.put("/gw/c/d", "3")
    check("get", c.get("/gw/a") == [b"1"], str(c.get("/gw/a")))
    check("get missing", c.get("/gw/zzz") == [])
    got = c.get("/gw/b", metadata=True)
    check("get metadata", got[0][0] == b"2" and int(got[0][1]["mod_revision"]) >= int(got[0][1]["create_revision"]), str(got))
    prefix = sorted(v for v, _ in c.get_prefix("/gw/"))
    check("get prefix", prefix == [b"1", b"2", b"3"], str(prefix))
    check("create exists", c.create("/gw/a", "x") is False)
    check("create new", c.create("/gw/new", "x") is True)
    check("replace", c.replace("/gw/a", "1", "11") is True)
    check("replace stale", c.replace("/gw/a", "1", "12") is False)
    check("get replaced", c.get("/gw/a") == [b"11"])
    check("delete", c.delete("/gw/new") is True)
    check("delete missing", c.delete("/gw/new") is False)
    check("delete prefix", c.delete_prefix("/gw/c/") is True and c.get_prefix("/gw/c/") == [])

    # transactions
    txn = {
        "compare": [{"key": utils._encode("/gw/b"), "result": "EQUAL",
                     "target": "VALUE", "value": utils._encode("2")}],
        "success": [{"request_put": {"key": utils._encode("/gw/b"),
                                     "value": utils._encode("22")}}],
        "failure": [],
    }
    check("txn succeeded", c.transaction(txn).get("succeeded") is True)
    check("txn failed", c.transaction(txn).get("succeeded") is None)
    check("txn applied", c.get("/gw/b") == [b"22"])

    # leases
    lease = c.lease(ttl=30)
    check("lease grant", lease.id > 0)
    c.put("/gw/leased", "v", lease=lease)
    check("lease ttl", 0 < lease.ttl() <= 30)
    check("lease refresh", lease.refresh() == 30)
    check("lease keys", lease.keys() == [b"/gw/leased"], str(lease.keys()))
    check("lease revoke", lease.revoke() is True)
    check("leased key gone", c.get("/gw/leased") == [])
    check("revoked ttl", lease.ttl() == -1)

    # watch: events arrive through the chunked stream; starting at the next revision, the
    # watch sees the writes below whenever it is created
    start = int(c.status()["header"]["revision"]) + 1
    events, cancel_watch = c.watch("/gw/w", start_revision=start)
    c.put("/gw/w", "w1")
    c.delete("/gw/w")
    got = []
    for e in events:
        got.append(e)
        if len(got) == 2:
            break
    check("watch put", got[0]["kv"]["value"] == b"w1" and "type" not in got[0], str(got[0]))
    check("watch delete", got[1]["type"] == "DELETE", str(got[1]))
    cancel_watch()

    start = int(c.status()["header"]["revision"]) + 1
    c.put("/gw/once", "o")
    event = c.watch_once("/gw/once", timeout=10, start_revision=start)
    check("watch once", event["kv"]["value"] == b"o", str(event))

    # locks
    lock = c.lock("gwlock", ttl=30)
    check("lock acquire", lock.acquire() is True)
    check("lock held", lock.is_acquired())
    other = c.lock("gwlock", ttl=30)
    check("lock contended", other.acquire() is False)
    check("lock refresh", lock.refresh() == 30)
    check("lock release", lock.release() is True)
    check("lock reacquire", other.acquire() is True)
    check("lock release other", other.release() is True)
    with c.lock("ctx", ttl=30) as held:
        check("lock context", held.is_acquired())
    print("done", flush=True)


if __name__ == "__main__":
    main()
