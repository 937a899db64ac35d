#!/usr/bin/env python3
"""Binary protocol byte-identity: the same exchanges sent to memcached 1.6.38 and to mcrefd.

usage: check_binary_against_memcached.py MCREFD [ORACLE]
  $MCREFD_BINARY_ORACLE, when set, takes the place of ORACLE; when neither names an executable file the check is
  skipped (exit 77). Each exchange opens a fresh connection to each server, sends its bytes (in
  the pieces given), half-closes, and reads until the server closes; the replies must be equal
  byte for byte, except where an exchange names a known difference (the version string, and the
  statistics' values, which depend on the process).
"""

import os
import socket
import struct
import subprocess
import sys
import time

SKIP = 77
PORTS = range(21400, 21600)  # the machine's rule: servers started by hand use 21000-21999

# opcodes (protocol_binary.h)
GET, SET, ADD, REPLACE, DELETE, INCR, DECR, QUIT, FLUSH, GETQ, NOOP, VERSION = range(0x00, 0x0C)
GETK, GETKQ, APPEND, PREPEND, STAT = 0x0C, 0x0D, 0x0E, 0x0F, 0x10
SETQ, ADDQ, REPLACEQ, DELETEQ, INCRQ, DECRQ, QUITQ, FLUSHQ, APPENDQ, PREPENDQ = range(0x11, 0x1B)
VERBOSITY, TOUCH, GAT, GATQ = 0x1B, 0x1C, 0x1D, 0x1E
SASL_LIST, SASL_AUTH, SASL_STEP, GATK, GATKQ = 0x20, 0x21, 0x22, 0x23, 0x24


def pkt(op, key=b"", extras=b"", value=b"", opaque=0, cas=0, keylen=None, extlen=None, bodylen=None,
        magic=0x80, datatype=0, vbucket=0):
    if isinstance(key, str):
        key = key.encode()
    if isinstance(value, str):
        value = value.encode()
    kl = len(key) if keylen is None else keylen
    el = len(extras) if extlen is None else extlen
    bl = len(extras) + len(key) + len(value) if bodylen is None else bodylen
    return struct.pack(">BBHBBHIIQ", magic, op, kl, el, datatype, vbucket, bl, opaque, cas) + extras + key + value


def store(op, key, value, flags=0, exptime=0, **kw):
    return pkt(op, key, struct.pack(">II", flags, exptime), value, **kw)


def arith(op, key, delta, initial=0, exptime=0, **kw):
    return pkt(op, key, struct.pack(">QQI", delta, initial, exptime), **kw)


def get(op, key, **kw):
    return pkt(op, key, **kw)


def touch(op, key, exptime, **kw):
    return pkt(op, key, struct.pack(">I", exptime), **kw)


def noop(opaque=0xABCD):
    return pkt(NOOP, opaque=opaque)


NO_CREATE = 0xFFFFFFFF
BIG = b"x" * (2 * 1024 * 1024)


def exchanges():
    """(name, [bytes to send, in pieces], compare) in the order both servers get them."""
    out = []

    def add(name, *pieces, compare="bytes"):
        out.append((name, [p for p in pieces], compare))

    # get family
    add("get miss", get(GET, "g1", opaque=1))
    add("getk miss names the key", get(GETK, "g2", opaque=2))
    add("getq miss is silent", get(GETQ, "g3") + noop())
    add("getkq miss is silent", get(GETKQ, "g4") + noop())
    add("set then get, getk, getq, getkq hit",
        store(SET, "g5", "hello", flags=0xDEADBEEF, opaque=5) + get(GET, "g5", opaque=6) + get(GETK, "g5", opaque=7)
        + get(GETQ, "g5", opaque=8) + get(GETKQ, "g5", opaque=9) + noop())
    add("key with spaces and binary bytes", store(SET, b"a b\x00\xff", "v") + get(GETK, b"a b\x00\xff") + noop())
    add("key of 250 bytes", store(SET, "k" * 250, "v") + get(GET, "k" * 250))
    add("get of a 251-byte key: invalid arguments, close", get(GET, "k" * 251, opaque=3) + noop())
    add("empty value", store(SET, "g6", "") + get(GET, "g6"))
    add("quiet gets answer only hits", store(SETQ, "g7", "a") + store(SETQ, "g8", "b") + get(GETQ, "g7")
        + get(GETQ, "gmiss") + get(GETKQ, "g8") + get(GETKQ, "gmiss2") + noop())
    # store family
    add("set answers its cas", store(SET, "s1", "v", opaque=0x01020304))
    add("setq then noop", store(SETQ, "s2", "v") + noop())
    add("add of an existing key: exists", store(SET, "s3", "v") + store(ADD, "s3", "w"))
    add("addq of an existing key answers", store(SET, "s4", "v") + store(ADDQ, "s4", "w") + noop())
    add("add of a new key", store(ADD, "s5", "v") + get(GET, "s5"))
    add("replace of a missing key: not found", store(REPLACE, "s6", "v"))
    add("replaceq of a missing key answers", store(REPLACEQ, "s7", "v") + noop())
    add("replace of an existing key", store(SET, "s8", "v") + store(REPLACE, "s8", "w", flags=3) + get(GET, "s8"))
    add("set with the right cas", store(SET, "s9", "v"), lambda cas: store(SET, "s9", "w", cas=cas) + get(GET, "s9"))
    add("append with the right cas", store(SET, "s9a", "v"), lambda cas: pkt(APPEND, "s9a", value="w", cas=cas))
    add("delete with the right cas", store(SET, "d0", "v"), lambda cas: pkt(DELETE, "d0", cas=cas) + get(GET, "d0"))
    add("incr with the right cas", store(SET, "n0", "1"), lambda cas: arith(INCR, "n0", 1, cas=cas))
    add("set with a wrong cas: exists", store(SET, "s10", "v") + store(SET, "s10", "w", cas=999999))
    add("set with a cas of a missing key: not found", store(SET, "s11", "w", cas=12345))
    add("add with a cas of an existing key", store(SET, "s12", "v") + store(ADD, "s12", "w", cas=1))
    add("replace with a cas of a missing key", store(REPLACE, "s13", "w", cas=7))
    add("append to a missing key: not stored", pkt(APPEND, "s14", value="x"))
    add("append and prepend", store(SET, "s15", "mid", flags=9) + pkt(APPEND, "s15", value="-end")
        + pkt(PREPEND, "s15", value="start-") + get(GET, "s15"))
    add("appendq and prependq", store(SET, "s16", "m") + pkt(APPENDQ, "s16", value="a") + pkt(PREPENDQ, "s16", value="p")
        + pkt(PREPENDQ, "s16missing", value="p") + get(GET, "s16"))
    add("append with a wrong cas: exists", store(SET, "s17", "m") + pkt(APPEND, "s17", value="a", cas=424242))
    add("set with flags and an expiration", store(SET, "s18", "v", flags=1, exptime=1000) + get(GET, "s18"))
    add("set too large: Too large., value skipped", store(SET, "s19", BIG, opaque=3) + noop())
    add("setq too large answers", store(SETQ, "s20", BIG) + noop())
    add("set too large drops the old value", store(SET, "s21", "old") + store(SET, "s21", BIG) + get(GET, "s21"))
    add("append too large keeps the value", store(SET, "s22", "base") + pkt(APPEND, "s22", value=BIG) + get(GET, "s22"))
    add("value arriving in pieces", store(SET, "s23", "abcdefgh")[:30], store(SET, "s23", "abcdefgh")[30:]
        + get(GET, "s23"))
    add("body longer than the value takes the next packet", store(SET, "s24", "head", bodylen=8 + 3 + 4 + 24)
        + noop(9) + get(GET, "s24"))
    # delete
    add("delete of a missing key", pkt(DELETE, "d1"))
    add("delete of an existing key", store(SET, "d2", "v") + pkt(DELETE, "d2") + get(GET, "d2"))
    add("deleteq is silent", store(SET, "d3", "v") + pkt(DELETEQ, "d3") + noop())
    add("deleteq of a missing key answers", pkt(DELETEQ, "d4") + noop())
    add("delete with a wrong cas: exists", store(SET, "d5", "v") + pkt(DELETE, "d5", cas=99999) + get(GET, "d5"))
    add("delete of a missing key with a cas", pkt(DELETE, "d6", cas=5))
    # incr / decr
    add("incr of a missing key creates it", arith(INCR, "n1", 1, initial=5) + get(GET, "n1"))
    add("incr of a missing key with all-ones expiration: not found", arith(INCR, "n2", 1, exptime=NO_CREATE))
    add("decr of a missing key creates it", arith(DECR, "n3", 1, initial=7) + arith(DECR, "n3", 3))
    add("incrq and decrq are silent", arith(INCRQ, "n4", 2, initial=1) + arith(INCRQ, "n4", 2) + arith(DECRQ, "n4", 1)
        + get(GET, "n4"))
    add("incr of an existing number", store(SET, "n5", "10") + arith(INCR, "n5", 5) + get(GET, "n5"))
    add("incr growing the number", store(SET, "n6", "99") + arith(INCR, "n6", 1) + get(GET, "n6"))
    add("decr shrinking the number in place", store(SET, "n7", "100") + arith(DECR, "n7", 1) + get(GET, "n7"))
    add("decr below zero stops at zero", store(SET, "n8", "3") + arith(DECR, "n8", 10))
    add("incr wraps at 2^64", store(SET, "n9", str(2**64 - 1)) + arith(INCR, "n9", 2))
    add("incr of a non-number", store(SET, "n10", "abc") + arith(INCR, "n10", 1) + noop())
    add("incrq of a non-number answers", store(SET, "n11", "abc") + arith(INCRQ, "n11", 1) + noop())
    add("incr with a wrong cas: exists", store(SET, "n12", "1") + arith(INCR, "n12", 1, cas=777777))
    add("incr with a delta of 2^64-1", arith(INCR, "n13", 2**64 - 1, initial=2**64 - 1) + arith(INCR, "n13", 1))
    add("incr with an expiration creates a counter", arith(INCR, "n14", 1, initial=0, exptime=100) + get(GET, "n14"))
    add("incr of a hit held by the same batch", store(SET, "n15", "5") + get(GET, "n15") + arith(INCR, "n15", 1)
        + get(GET, "n15"))
    # touch and gat
    add("touch of a missing key", touch(TOUCH, "t1", 10))
    add("touch of a stored key answers its flags", store(SET, "t2", "v", flags=4) + touch(TOUCH, "t2", 10))
    add("gat and gatk of a stored key", store(SET, "t3", "val", flags=2) + touch(GAT, "t3", 10) + touch(GATK, "t3", 0))
    add("gatq and gatkq misses are silent", touch(GATQ, "t4", 10) + touch(GATKQ, "t5", 10) + noop())
    add("gatq and gatkq hits answer", store(SET, "t6", "v") + touch(GATQ, "t6", 10) + touch(GATKQ, "t6", 10) + noop())
    add("gat miss and gatk miss", touch(GAT, "t7", 10) + touch(GATK, "t8", 10))
    add("touch with bytes after the key: read as the next packet",
        pkt(TOUCH, "t9", struct.pack(">I", 10), value=noop(3)))
    # admin
    add("noop", noop(1))
    add("noops in order", noop(1) + noop(2) + noop(3))
    add("twenty-five noops", b"".join(noop(i) for i in range(25)))
    add("version", pkt(VERSION, opaque=4), compare="version")
    add("quit answers then closes", pkt(QUIT, opaque=5) + noop())
    add("quitq closes silently", pkt(QUITQ) + noop())
    add("quit after hits", store(SET, "q1", "v") + get(GET, "q1") + pkt(QUIT))
    add("verbosity is an unknown command", pkt(VERBOSITY, extras=struct.pack(">I", 1)) + noop())
    add("flush with a delay keeps items", store(SET, "f1", "v") + pkt(FLUSH, extras=struct.pack(">I", 100))
        + get(GET, "f1"))
    add("flush with a zero delay", store(SET, "f2", "v") + pkt(FLUSH, extras=struct.pack(">I", 0)) + get(GET, "f2"))
    add("flush", store(SET, "f3", "v") + pkt(FLUSH, opaque=8) + get(GET, "f3"))
    add("flushq is silent", store(SET, "f4", "v") + pkt(FLUSHQ) + get(GET, "f4") + noop())
    add("stat", pkt(STAT), compare="stat-keys")
    add("stat settings", pkt(STAT, "settings"), compare="settings")
    add("stat items", store(SET, "st1", "v") + pkt(STAT, "items"), compare="stat-keys")
    add("counters after binary commands", pkt(STAT, "reset") + store(SETQ, "c1", "1") + store(ADD, "c1", "x")
        + store(SET, "c1", "y", cas=1) + store(SET, "c9", "y", cas=1) + arith(INCR, "c1", 2) + arith(DECR, "c2", 1, initial=3)
        + arith(INCR, "c3", 1, exptime=NO_CREATE) + get(GET, "c1") + get(GETQ, "c4") + touch(TOUCH, "c1", 10)
        + touch(GAT, "c4", 10) + pkt(DELETE, "c2") + pkt(DELETE, "c2") + pkt(DELETE, "c1", cas=3)
        + store(SET, "c5", BIG) + pkt(FLUSH) + get(GET, "c1") + pkt(STAT), compare="counters")
    add("stat sizes", pkt(STAT, "sizes"))
    add("stat reset", pkt(STAT, "reset", opaque=6))
    add("stat reset by prefix", pkt(STAT, "resetxyz"))
    add("stat detail on and off", pkt(STAT, "detail on") + pkt(STAT, "detail off"))
    add("stat detail dump", pkt(STAT, "detail dump"))
    add("stat detail with a bad argument", pkt(STAT, "detail x"))
    add("stat conns is not found in binary", pkt(STAT, "conns"))
    add("stat of an unknown group", pkt(STAT, "bogus", opaque=7) + noop())
    add("stat with a value: read as the next packet", pkt(STAT, "sizes", value=noop(4)))
    add("sasl list mechs without sasl", pkt(SASL_LIST) + noop())
    add("sasl auth without sasl skips its value", pkt(SASL_AUTH, "PLAIN", value="\x00u\x00p") + noop())
    add("sasl step without a key: invalid", pkt(SASL_STEP, value="x") + noop())
    # malformed headers
    add("response magic in a request closes", noop(1) + pkt(NOOP, magic=0x81))
    add("bad magic drops the unsent replies", store(SET, "m1", "v") + get(GET, "m1") + pkt(NOOP, magic=0x00))
    add("bad magic after a flushing error", get(GET, "m2") + pkt(NOOP, magic=0x42))
    add("text after binary closes", noop() + b"get foo\r\n")
    add("key longer than the body", pkt(GET, "sixsix", bodylen=3))
    add("extras and key longer than the body", pkt(SET, "abc", extras=b"\0" * 8, bodylen=9))
    add("get with extras", pkt(GET, "k", extras=b"\0" * 4))
    add("get without a key", pkt(GET))
    add("get with a value", pkt(GET, "k", value="v"))
    add("set without extras", pkt(SET, "k", value="v"))
    add("set with short extras", pkt(SET, "k", extras=b"\0" * 4, value="v"))
    add("set without a key", pkt(SET, extras=b"\0" * 8, value="v"))
    add("setq without extras answers", pkt(SETQ, "k", value="v"))
    add("append with extras", pkt(APPEND, "k", extras=b"\0" * 8, value="v"))
    add("prepend without a key", pkt(PREPEND, value="v"))
    add("delete with extras", pkt(DELETE, "k", extras=b"\0" * 4))
    add("delete with a value", pkt(DELETE, "k", value="v"))
    add("incr with short extras", pkt(INCR, "k", extras=b"\0" * 8))
    add("decr with a value", pkt(DECR, "k", extras=b"\0" * 20, value="v"))
    add("touch without extras", pkt(TOUCH, "k"))
    add("gat without a key", pkt(GAT, extras=b"\0" * 4))
    add("noop with a key", pkt(NOOP, "k"))
    add("version with a value", pkt(VERSION, value="v"))
    add("quit with a key", pkt(QUIT, "k"))
    add("flush with two bytes of extras", pkt(FLUSH, extras=b"\0\0"))
    add("flush with a key", pkt(FLUSH, "k"))
    add("stat with extras", pkt(STAT, extras=b"\0" * 4))
    add("unknown opcode", pkt(0x50, opaque=0x50) + noop())
    add("unknown opcode with a value", pkt(0x60, value="12345") + noop())
    add("unknown opcode with a key skips it twice", pkt(0x61, "abc") + b"zzz" + noop(4))
    add("set of a 300-byte key", store(SET, "k" * 300, "v", opaque=77))
    # (memcached keeps a value's length in a signed int: near 2 GiB and beyond it answers erratically, so
    # the check stays below that)
    add("a set with a body length of 1.75 GiB", store(SET, "h2", "v", bodylen=0x70000000) + noop())
    add("twenty-five hits then a bad magic: the first twenty-one requests were answered",
        store(SET, "h3", "v") + b"".join(get(GET, "h3", opaque=i) for i in range(25)) + pkt(NOOP, magic=0))
    add("exptime 2^31 is a time in 2038, not a past one", store(SET, "h4", "v", exptime=0x80000000) + get(GET, "h4"))
    add("gat with an all-ones exptime", store(SET, "h5", "v") + touch(GAT, "h5", 0xFFFFFFFF) + get(GET, "h5"))
    add("incrq with no-create answers its miss", arith(INCRQ, "h6", 1, exptime=NO_CREATE) + noop())
    add("a text connection reads a later 0x80 as a bad line", b"get h7\r\n\x80\x01\r\n")
    add("data type and vbucket ignored", store(SET, "h1", "v") + get(GET, "h1", datatype=1, vbucket=7))
    # framing
    n = noop(6)
    add("header in two pieces", n[:23], n[23:])
    add("a hundred sets and gets in one write",
        b"".join(store(SETQ, "p%d" % i, "v%d" % i) for i in range(100))
        + b"".join(get(GETK, "p%d" % i) for i in range(100)))
    whole = store(SET, "b1", "byte by byte") + get(GET, "b1")
    add("set and get byte by byte", *[whole[i:i + 1] for i in range(len(whole))])
    add("mixed pipeline", store(SET, "x1", "1") + get(GETQ, "x2") + arith(INCR, "x1", 1) + pkt(DELETE, "x1")
        + get(GETK, "x1") + pkt(VERSION) + noop(), compare="version")
    return out


def free_port(taken):
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise RuntimeError("no free port in 21400-21599")


def start(argv, port):
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("%s exited with %s" % (argv[0], proc.returncode))
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("%s did not listen on %d" % (argv[0], port))


def read_packet(s):
    data = b""
    while len(data) < 24 or len(data) < 24 + struct.unpack(">I", data[8:12])[0]:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def exchange(port, pieces):
    """A piece is bytes, or a function of the cas of the one reply read before it is sent."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    got = bytearray()
    try:
        for i, piece in enumerate(pieces):
            if callable(piece):
                reply = read_packet(s)
                got += reply
                piece = piece(struct.unpack(">Q", reply[16:24])[0] if len(reply) >= 24 else 0)
            s.sendall(piece)
            if i + 1 < len(pieces):
                # Time is the subject here: the pieces must reach the server as separate reads
                # (a packet cut mid-header or mid-body), which nothing but a pause guarantees.
                time.sleep(0.02)
        s.shutdown(socket.SHUT_WR)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return bytes(got)
            got += chunk
    except OSError as e:
        return bytes(got) + ("<%s>" % e).encode()
    finally:
        s.close()


def packets(data):
    """Splits response bytes into (header fields, extras, key, value); trailing bytes kept raw."""
    out = []
    while len(data) >= 24:
        magic, op, kl, el, dt, status, bl, opaque, cas = struct.unpack(">BBHBBHIIQ", data[:24])
        body = data[24:24 + bl]
        out.append(((magic, op, kl, el, dt, status, opaque), body[:el], body[el:el + kl], body[el + kl:], cas))
        data = data[24 + bl:]
    if data:
        out.append(("rest", data))
    return out


def same(a, b, compare):
    if compare == "bytes":
        return a == b
    pa, pb = packets(a), packets(b)
    if compare == "counters":
        # the command counters of the stat stream, which the exchange reset first
        counters = {b"cmd_get", b"get_hits", b"get_misses", b"get_expired", b"get_flushed", b"cmd_set", b"cmd_touch",
                    b"touch_hits", b"touch_misses", b"incr_hits", b"incr_misses", b"decr_hits", b"decr_misses",
                    b"delete_hits", b"delete_misses", b"cas_hits", b"cas_misses", b"cas_badval", b"cmd_flush",
                    b"store_too_large", b"store_no_memory", b"curr_items"}
        pick = lambda ps: [(p[2], p[3]) for p in ps if p[0] != "rest" and p[0][1] == STAT and p[2] in counters]
        rest = lambda ps: [p for p in ps if p[0] == "rest" or p[0][1] != STAT]
        return pick(pa) == pick(pb) and len(pick(pa)) == len(counters) and rest(pa) == rest(pb)
    if compare == "settings":
        # mcrefd has no extstore: memcached's ext_* settings (and slab_automove_freeratio) are
        # not among its lines, in binary as in text
        pa = [p for p in pa if p[0] == "rest" or not (p[2].startswith(b"ext_") or p[2] == b"slab_automove_freeratio")]
        compare = "stat-keys"
    if len(pa) != len(pb):
        return False
    for x, y in zip(pa, pb):
        if x[0] == "rest" or y[0] == "rest":
            if x != y:
                return False
            continue
        if compare == "stat-keys":
            # the statistics' names and order; their values depend on the process
            if x[0][:4] != y[0][:4] or x[0][5:] != y[0][5:] or x[2] != y[2]:
                return False
        elif compare == "version":
            # mcrefd says "1.6.38-mcrefd" where memcached says "1.6.38"
            if x[0][1] == VERSION:
                if x[0][0] != y[0][0] or x[0][5:] != y[0][5:] or not y[3].startswith(x[3]):
                    return False
            elif x != y:
                return False
    return True


def show(data):
    lines = []
    for p in packets(data):
        if p[0] == "rest":
            lines.append("    rest %r" % p[1][:80])
        else:
            (magic, op, kl, el, dt, status, opaque), extras, key, value, cas = p
            lines.append("    magic %02x op %02x status %04x opaque %08x cas %d extras %s key %r value %r"
                         % (magic, op, status, opaque, cas, extras.hex(), key[:40], value[:60]))
    return "\n".join(lines) or "    (nothing)"


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    mcrefd = sys.argv[1]
    oracle = os.environ.get("MCREFD_BINARY_ORACLE") or (sys.argv[2] if len(sys.argv) > 2 else "")
    if not oracle or not os.access(oracle, os.X_OK):
        print("SKIP: no memcached 1.6.38 oracle (pass its path, or set MCREFD_BINARY_ORACLE; "
              "ci/build-newest-memcached.sh builds build/oracle/memcached-newest/memcached)")
        return SKIP
    taken = set()
    p_oracle, p_mcrefd = free_port(taken), free_port(taken)
    servers = []
    try:
        user = ["-u", "root"] if os.geteuid() == 0 else []
        servers.append(start([oracle, "-p", str(p_oracle), "-U", "0", "-l", "127.0.0.1", "-t", "4"] + user, p_oracle))
        servers.append(start([mcrefd, "-p", str(p_mcrefd), "-U", "0", "-l", "127.0.0.1", "-t", "4"], p_mcrefd))
        failures = 0
        cases = exchanges()
        for name, pieces, compare in cases:
            want = exchange(p_oracle, pieces)
            got = exchange(p_mcrefd, pieces)
            if same(want, got, compare):
                print("ok    %s" % name)
            else:
                failures += 1
                print("FAIL  %s\n  memcached:\n%s\n  mcrefd:\n%s" % (name, show(want), show(got)))
        print("%d exchanges, %d identical, %d different" % (len(cases), len(cases) - failures, failures))
        return 1 if failures else 0
    finally:
        for proc in servers:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
