#!/usr/bin/python3
"""differential.py -- crier's TOML reader (src/content/toml.c) against tomllib.

    differential.py BUILD/tests/toml_dump [COUNT [SEED]]

Reads, with both, a few thousand documents generated from a fixed seed
(every TOML 1.0 value form and its edges, tables, arrays of tables, dotted
keys, on purpose conflicting keys, then the same documents mutated byte by
byte), every file of the fuzz corpora and regressions (and build/fuzz/corpus/toml, what `make fuzz`
grew, when there is one), and hand-written
invalid documents (which tomllib must reject too).  Both must accept and
reject the same documents and, when they accept, read the same values with
the same types.  crier's own limits make the only expected differences:
integers beyond 64 bits, nesting deeper than 32 levels and more than 20 000
values are errors in crier (tomllib has big integers and no limits).

Ends with "N passed, N failed"; exits 1 if any failed.
"""

import datetime
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEED = 20260101
MAX_DEPTH = 32          # FM_MAX_DEPTH
MAX_NODES = 20000       # FM_MAX_NODES
INT_MIN, INT_MAX = -(1 << 63), (1 << 63) - 1


# What tomllib reads, in toml_dump's tagged form.

def tag(t, v):
    return {"type": t, "value": v}


def fraction(us):
    return ".%06d" % us


def tagged(v):
    if isinstance(v, dict):
        return {k: tagged(x) for k, x in v.items()}
    if isinstance(v, list):
        return [tagged(x) for x in v]
    if isinstance(v, bool):
        return tag("bool", "true" if v else "false")
    if isinstance(v, int):
        return tag("integer", str(v))
    if isinstance(v, float):
        return tag("float", float_text(v))
    if isinstance(v, str):
        return tag("string", v)
    if isinstance(v, datetime.datetime):
        s = "%04d-%02d-%02dT%02d:%02d:%02d%s" % (
            v.year, v.month, v.day, v.hour, v.minute, v.second,
            fraction(v.microsecond))
        if v.tzinfo is None:
            return tag("datetime-local", s)
        off = int(v.utcoffset().total_seconds()) // 60
        sign = "-" if off < 0 else "+"
        off = abs(off)
        return tag("datetime", s + "%s%02d:%02d" % (sign, off // 60, off % 60))
    if isinstance(v, datetime.date):
        return tag("date-local", "%04d-%02d-%02d" % (v.year, v.month, v.day))
    if isinstance(v, datetime.time):
        return tag("time-local", "%02d:%02d:%02d%s" % (
            v.hour, v.minute, v.second, fraction(v.microsecond)))
    raise TypeError(type(v))


def float_text(f):
    return "nan" if math.isnan(f) else repr(f)


def normalize_c(v):
    """toml_dump's floats have 17 digits: compare them as numbers."""
    if isinstance(v, list):
        return [normalize_c(x) for x in v]
    if isinstance(v, dict):
        if set(v) == {"type", "value"} and isinstance(v["value"], str):
            if v["type"] == "float":
                return tag("float", float_text(float(v["value"])))
            return v
        return {k: normalize_c(x) for k, x in v.items()}
    return v


def beyond_limits(doc):
    """Why crier must refuse what tomllib read, or None."""
    nodes = 0
    stack = [(doc, 1)]
    while stack:
        v, depth = stack.pop()
        kids = (v.values() if isinstance(v, dict) else
                v if isinstance(v, list) else ())
        for k in kids:
            nodes += 1
            if depth + 1 > MAX_DEPTH:
                return "deeper than %d" % MAX_DEPTH
            stack.append((k, depth + 1))
        if isinstance(v, int) and not isinstance(v, bool) and \
                not INT_MIN <= v <= INT_MAX:
            return "integer beyond 64 bits"
    if nodes > MAX_NODES:
        return "more than %d values" % MAX_NODES
    return None


def oracle(data):
    """(accepted, tagged value or reason) as tomllib and crier's limits say."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        return False, str(e)
    except RecursionError:
        return False, "nested beyond Python's recursion limit"
    why = beyond_limits(doc)
    if why is not None:
        return False, why
    return True, tagged(doc)


# Generated documents.

BARE_KEYS = ["a", "b", "c", "d", "title", "x-y", "_k", "1", "A", "tags",
             "events", "0x1", "true", "inf", "-"]
QUOTED_KEYS = ['"a"', "'b'", '"a.b"', '""', "''", '"\\u00e9t\\u00e9"',
               '"caf\u00e9"', "'x y'", '"\\"q\\""', '"tab\\there"',
               '"nul\\u0000key"', '"\\U0001F600"', "'c'"]
PLAIN_CHARS = ("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,;:!?-_=+*/#[]{}"
               "\t\u00e9\u00fc\u4e2d\u6587\u2028\ufeff\U0001F600\u00a0")


class Gen(random.Random):
    """A seeded generator; bad is how often it picks invalid forms (0..1)."""
    bad = 1.0


def odd(rng, p):
    """True with probability p, when invalid forms are wanted."""
    return rng.random() < p * rng.bad


def rkey(rng, pool):
    return rng.choice(pool)


def rdotted(rng, pool, most=3):
    parts = [rkey(rng, pool) for _ in range(rng.randint(1, most))]
    dot = rng.choice([".", ".", " . ", ". ", "\t.\t"])
    return dot.join(parts)


def rcodepoint(rng):
    r = rng.random()
    if r < 0.4:
        return rng.randint(0, 0x7f)
    if r < 0.7:
        return rng.randint(0x80, 0xffff)
    if not odd(rng, 0.3):
        return rng.randint(0x10000, 0x10ffff)
    return rng.choice([0xd800, 0xdfff, 0x110000, 0xffffffff])  # invalid


def rescape(rng, multiline):
    r = rng.random()
    if r < 0.35:
        return rng.choice(["\\b", "\\t", "\\n", "\\f", "\\r", '\\"', "\\\\"])
    if r < 0.6:
        return "\\u%04x" % min(rcodepoint(rng), 0xffff)
    if r < 0.8:
        return "\\U%08X" % rcodepoint(rng)
    if r < 0.9 and multiline:
        return "\\" + rng.choice(["", " ", "\t ", "  "]) + "\n" + \
            rng.choice(["", "  ", "\n\t x", "\n\n"])
    if not odd(rng, 1):
        return "\\t"
    return rng.choice(["\\x41", "\\e", "\\u12", "\\U1234", "\\ ", "\\"])


def rtext(rng, n, banned):
    out = []
    for _ in range(n):
        c = rng.choice(PLAIN_CHARS)
        if c not in banned:
            out.append(c)
    return "".join(out)


def rbasic(rng):
    parts = []
    for _ in range(rng.randint(0, 6)):
        parts.append(rescape(rng, False) if rng.random() < 0.3 else
                     rtext(rng, rng.randint(0, 5), '"\\'))
    if odd(rng, 0.03):
        parts.append(rng.choice(["\x01", "\x7f", "\x00", "\r", "\x1b"]))
    return '"' + "".join(parts) + '"'


def rmultibasic(rng):
    parts = [rng.choice(["", "\n", ""])]
    for _ in range(rng.randint(0, 6)):
        r = rng.random()
        if r < 0.25:
            parts.append(rescape(rng, True))
        elif r < 0.4:
            parts.append(rng.choice(["\n", '"', '""', "\r\n", "\t"]))
        else:
            parts.append(rtext(rng, rng.randint(0, 6), '"\\'))
    parts.append(rng.choice(["", "", '"', '""']))
    return '"""' + "".join(parts) + '"""'


def rliteral(rng):
    return "'" + rtext(rng, rng.randint(0, 8), "'") + \
        rng.choice(["", "", "", "\\", "\\n", '"']) + "'"


def rmultiliteral(rng):
    parts = [rng.choice(["", "\n"])]
    for _ in range(rng.randint(0, 5)):
        r = rng.random()
        if r < 0.3:
            parts.append(rng.choice(["\n", "'", "''", "\\n", "\r\n"]))
        else:
            parts.append(rtext(rng, rng.randint(0, 6), "'"))
    parts.append(rng.choice(["", "", "'", "''"]))
    return "'''" + "".join(parts) + "'''"


def underscored(rng, digits):
    if len(digits) < 2 or rng.random() < 0.6:
        return digits
    out = digits[0]
    for d in digits[1:]:
        if rng.random() < 0.3:
            out += "_"
        out += d
    return out


def rinteger(rng):
    r = rng.random()
    if r < 0.15:
        return rng.choice(["0", "+0", "-0", "9223372036854775807",
                           "-9223372036854775808", "0x7FFFFFFFFFFFFFFF",
                           "0o777", "0b0", "0x0", "0o0", "0b1_0"] +
                          (["9223372036854775808", "-9223372036854775809",
                            "0x8000000000000000", "99999999999999999999999"]
                           if odd(rng, 1) else []))
    if r < 0.6:
        n = str(rng.randint(1, 10 ** rng.randint(1, 19)))
        return rng.choice(["", "", "+", "-"]) + underscored(rng, n)
    if r < 0.9 or not odd(rng, 1):
        base, prefix, fmt = rng.choice([(16, "0x", "%x"), (8, "0o", "%o"),
                                        (2, "0b", "")])
        v = rng.randint(0, (1 << rng.randint(1, 64 if odd(rng, 1) else 63)) - 1)
        digits = format(v, "b") if base == 2 else fmt % v
        if base == 16 and rng.random() < 0.5:
            digits = digits.upper()
        if rng.random() < 0.1:
            digits = "0" * rng.randint(1, 3) + digits
        return prefix + underscored(rng, digits)
    return rng.choice(["012", "1__2", "1_", "_1", "0x", "0X1", "+0x1",
                       "0x_1", "1_000_", "0b2", "0o8", "00", "-01"])


def rfloat(rng):
    r = rng.random()
    if r < 0.2:
        return rng.choice(["inf", "+inf", "-inf", "nan", "+nan", "-nan",
                           "-0.0", "+0.0", "0e0", "0.0", "1e400", "-1e400",
                           "1e-400", "1.7976931348623157e308",
                           "4.9e-324", "2.2250738585072014e-308",
                           "0.1", "3.14159265358979323846264338327950288",
                           "1E+5", "1e-05", "6.626e-34", "9_007_199.254_740_993"])
    if r < 0.85 or not odd(rng, 1):
        s = rng.choice(["", "+", "-"]) + str(rng.randint(0, 10 ** rng.randint(0, 8)))
        kind = rng.random()
        if kind < 0.7:
            s += "." + underscored(rng, str(rng.randint(0, 10 ** rng.randint(1, 18))))
        if kind > 0.4:
            s += rng.choice(["e", "E"]) + rng.choice(["", "+", "-"]) + \
                str(rng.randint(0, 330))
        return s
    return rng.choice([".5", "5.", "1.e5", "1e", "1._5", "1.5_", "1e_5",
                       "01.5", "infinity", "nan0", "+-1.0", "1.5e+", "NaN",
                       "Inf", "1,5"])


def rdate(rng):
    y = rng.choice([rng.randint(1, 9999), 2024, 2023, 1900, 2000, 1, 9999] +
                   ([0] if odd(rng, 1) else []))
    m = rng.choice([0, 13]) if odd(rng, 0.03) else rng.randint(1, 12)
    if odd(rng, 0.1):
        d = rng.choice([0, 29, 30, 31, 32])
    else:
        leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                31][m - 1] if 1 <= m <= 12 else 31
        d = rng.choice([rng.randint(1, last), last])
    return "%04d-%02d-%02d" % (y, m, d)


def rtime(rng):
    h = 24 if odd(rng, 0.05) else rng.randint(0, 23)
    mi = 60 if odd(rng, 0.03) else rng.randint(0, 59)
    s = 60 if odd(rng, 0.03) else rng.randint(0, 59)
    t = "%02d:%02d" % (h, mi)
    if not odd(rng, 0.03):
        t += ":%02d" % s
    if rng.random() < 0.4:
        t += "." + "".join(rng.choice("0123456789")
                           for _ in range(rng.randint(1, 10)))
    return t


def roffset(rng):
    r = rng.random()
    if r < 0.3:
        return rng.choice(["Z", "z"])
    if r < 0.9 or not odd(rng, 1):
        return "%s%02d:%02d" % (rng.choice("+-"), rng.randint(0, 23),
                                rng.randint(0, 59))
    return rng.choice(["-00:00", "+23:59", "+24:00", "+05", "+0530", "+05:60"])


def rdatetime(rng):
    r = rng.random()
    if r < 0.25:
        return rdate(rng)
    if r < 0.4:
        return rtime(rng)
    s = rdate(rng) + rng.choice(["T", "T", "t", " "]) + rtime(rng)
    if r < 0.8:
        s += roffset(rng)
    return s


def rscalar(rng):
    r = rng.random()
    if r < 0.2:
        return rbasic(rng)
    if r < 0.27:
        return rmultibasic(rng)
    if r < 0.33:
        return rliteral(rng)
    if r < 0.38:
        return rmultiliteral(rng)
    if r < 0.55:
        return rinteger(rng)
    if r < 0.7:
        return rfloat(rng)
    if r < 0.75:
        return rng.choice(["true", "false"])
    return rdatetime(rng)


def rvalue(rng, pool, depth):
    r = rng.random()
    if depth < 4 and r < 0.12:
        return rarray(rng, pool, depth + 1)
    if depth < 4 and r < 0.2:
        return rinline(rng, pool, depth + 1)
    return rscalar(rng)


def rarray(rng, pool, depth):
    n = rng.randint(0, 4)
    if rng.random() < 0.4:     # over lines, with comments
        sep = rng.choice([",\n  ", ", # note\n  ", "\n, ", ",\r\n"])
        items = [rvalue(rng, pool, depth) for _ in range(n)]
        tail = rng.choice(["", ",", ",\n", " # end\n"]) if n else ""
        return "[\n  " + sep.join(items) + tail + "\n]"
    items = [rvalue(rng, pool, depth) for _ in range(n)]
    tail = rng.choice(["", "", ","]) if n else rng.choice(["", " "])
    return "[" + rng.choice([", ", ",", " ,"]).join(items) + tail + "]"


def rinline(rng, pool, depth):
    n = rng.randint(0, 3)
    pairs = ["%s = %s" % (rdotted(rng, pool, 2), rvalue(rng, pool, depth))
             for _ in range(n)]
    tail = "," if n and odd(rng, 0.05) else ""
    return "{" + rng.choice([" ", ""]) + ", ".join(pairs) + tail + \
        rng.choice([" ", ""]) + "}"


def rcomment(rng):
    r = rng.random()
    if r < 0.7:
        return ""
    if not odd(rng, 0.1):
        return rng.choice([" ", "\t", "  "]) + "#" + rtext(rng, rng.randint(0, 8), "\n")
    return " # " + rng.choice(["\x01", "\x7f", "\r"])


def rkeyval(rng, pool):
    return rng.choice(["", "", "  ", "\t"]) + rdotted(rng, pool) + \
        rng.choice([" = ", "=", " =", "\t=\t"]) + rvalue(rng, pool, 0) + \
        rcomment(rng)


def rdocument(rng):
    pool = BARE_KEYS[:rng.randint(3, len(BARE_KEYS))]
    if rng.random() < 0.3:
        pool = pool + QUOTED_KEYS
    if rng.random() < 0.4 or rng.bad == 0:      # fewer conflicts
        pool = pool + ["k%d" % i for i in range(40)]
    lines = [rkeyval(rng, pool) for _ in range(rng.randint(0, 4))]
    for _ in range(rng.randint(0, 5)):
        name = rdotted(rng, pool, 3)
        if rng.random() < 0.35:
            head = "[[" + rng.choice(["", " "]) + name + rng.choice(["", " "]) + "]]"
        else:
            head = "[" + rng.choice(["", " "]) + name + rng.choice(["", " "]) + "]"
        lines.append(rng.choice(["", "  "]) + head + rcomment(rng))
        lines += [rkeyval(rng, pool) for _ in range(rng.randint(0, 4))]
        if rng.random() < 0.2:
            lines.append("")
        if rng.random() < 0.1:
            lines.append("# " + rtext(rng, 10, "\n"))
    eol = "\r\n" if rng.random() < 0.1 else "\n"
    end = rng.choice(["", eol])
    return (eol.join(lines) + end).encode("utf-8")


INTERESTING = list("=[]{}\"'#.,\n\t \\_+-:TZ0e") + ["\r", "\x00", "\xff",
                                                   "\u00e9", "[[", "]]",
                                                   '"""', "'''"]


def mutate(rng, data):
    s = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        pos = rng.randint(0, len(s))
        if r < 0.35 and s:
            del s[min(pos, len(s) - 1)]
        elif r < 0.7:
            piece = rng.choice(INTERESTING)
            s[pos:pos] = piece.encode("latin-1") if piece == "\xff" else \
                piece.encode("utf-8")
        elif r < 0.85:
            lines = bytes(s).split(b"\n")
            if lines:
                i = rng.randrange(len(lines))
                lines.insert(i, lines[i])
                s = bytearray(b"\n".join(lines))
        elif s:
            i = rng.randrange(len(s))
            s[i] = rng.randrange(256) if rng.random() < 0.2 else \
                ord(rng.choice("abc019 =.[]\"'"))
    return bytes(s)


# Hand-written documents: every one must be invalid for tomllib too.

INVALID = [
    b"a = 1\na = 2\n",
    b"a = 1\n[a]\n",
    b"[a]\n[a]\n",
    b"[a.b]\n[a]\n[a]\n",
    b"a.b = 1\n[a]\n",
    b"[a]\nb.c = 1\n[a.b]\n",
    b"[a]\nb = {}\n[a.b]\n",
    b"a = {b = 1}\na.c = 2\n",
    b"a = {b = 1}\n[a.c]\n",
    b"a = []\n[[a]]\n",
    b"[[a]]\n[a]\n",
    b"[a]\n[[a]]\n",
    b"a = [{b = 1}]\n[a.c]\n",
    b"[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n",
    b"a = {b = 1, b = 2}\n",
    b"a = {b.c = 1, b = 2}\n",
    b"a = {b = {c = 1}, b.d = 2}\n",
    b"a = {b = 1,}\n",
    b"a = {b = 1\n}\n",
    b"a = {\nb = 1}\n",
    b"a = [1 2]\n",
    b"a = [1,,2]\n",
    b"a = [,]\n",
    b"a = 1 2\n",
    b"a = \n",
    b"a\n",
    b"= 1\n",
    b"a = 1 = 2\n",
    b"[a\n",
    b"[a]]\n",
    b"[[a]\n",
    b"[ [a] ]\n",
    b"[]\n",
    b"[a.]\n",
    b"a..b = 1\n",
    b"a. = 1\n",
    b'a = "unterminated\n',
    b'a = "new\nline"\n',
    b"a = 'new\nline'\n",
    b'a = """never ends\n',
    b"a = '''never ends\n",
    b'a = "\\x41"\n',
    b'a = "\\e"\n',
    b'a = "\\uD800"\n',
    b'a = "\\U00110000"\n',
    b'a = "\\u12"\n',
    b'a = "bad \\ escape"\n',
    b'a = "tab\x01"\n',
    b'a = "del\x7f"\n',
    b"a = 'ctl\x1b'\n",
    b'a = """ctl\x00"""\n',
    b'a = """lone\rcr"""\n',
    b'a = """x\\  y"""\n',
    b'a = """a"""""""\n',
    b"a = '''a'''''''\n",
    b"# comment \x01\n",
    b"a = 1 # \x7f\n",
    b"a = 1\r\n\rb = 2\n",
    b"a = 012\n",
    b"a = 1__2\n",
    b"a = 1_\n",
    b"a = _1\n",
    b"a = 0x\n",
    b"a = 0X1F\n",
    b"a = +0x1\n",
    b"a = 0x_1\n",
    b"a = 0b2\n",
    b"a = 0o8\n",
    b"a = 9223372036854775808\n",
    b"a = -9223372036854775809\n",
    b"a = 0x8000000000000000\n",
    b"a = .5\n",
    b"a = 5.\n",
    b"a = 1.e5\n",
    b"a = 1e\n",
    b"a = 1._5\n",
    b"a = 1e_5\n",
    b"a = infinity\n",
    b"a = NaN\n",
    b"a = Inf\n",
    b"a = True\n",
    b"a = tru\n",
    b"a = 2023-02-29\n",
    b"a = 2024-04-31\n",
    b"a = 0000-01-01\n",
    b"a = 2024-13-01\n",
    b"a = 2024-1-01\n",
    b"a = 2024-01-01T07:32\n",
    b"a = 2024-01-01T24:00:00\n",
    b"a = 2024-01-01T23:59:60\n",
    b"a = 2024-01-01T07:32:00+24:00\n",
    b"a = 2024-01-01T07:32:00+0530\n",
    b"a = 2024-01-01T07:32:00.\n",
    b"a = 2024-01-01 07:32\n",
    b"a = 07:32\n",
    b"a = 25:00:00\n",
    b"a = \xff\n",
    b'a = "\xc3\x28"\n',
    b'a = "\xed\xa0\x80"\n',
    b"\xef\xbb\xbfa = 1\n",
    b"a = 1\x00\n",
    b"a\xc2\xa0= 1\n",
    b"\"a\nb\" = 1\n",
    b'"""a""" = 1\n',
    b"a = [\n1,\n2\n",
]


def limit_documents():
    """At and just past crier's limits: the boundary must be exact."""
    docs = []
    # x is at depth 2; each [ adds one: depth of the innermost value.
    for n in (29, 30, 31, 200):
        docs.append(("deep-array-%d" % n,
                     b"x = " + b"[" * n + b"1" + b"]" * n + b"\n"))
    for n in (30, 31, 32):
        docs.append(("deep-dotted-%d" % n,
                     ".".join(["k"] * n).encode() + b" = 1\n"))
        docs.append(("deep-header-%d" % n,
                     b"[" + ".".join(["t"] * n).encode() + b"]\nv = 1\n"))
    for n in (19998, 19999, 20000):
        docs.append(("wide-array-%d" % n,
                     b"x = [" + b",".join([b"1"] * n) + b"]\n"))
        docs.append(("many-keys-%d" % n,
                     b"".join(b"k%d = %d\n" % (i, i) for i in range(n))))
    docs.append(("many-tables", b"".join(b"[[t]]\nv = %d\n" % i
                                          for i in range(9999))))
    return docs


def corpus_files():
    out = []
    for top in ("tests/fuzz/corpus", "tests/fuzz/regressions",
                "build/fuzz/corpus/toml"):
        base = os.path.join(ROOT, top)
        for dirpath, _, files in sorted(os.walk(base)):
            for f in sorted(files):
                if f.startswith("README"):
                    continue
                p = os.path.join(dirpath, f)
                with open(p, "rb") as fh:
                    out.append((os.path.relpath(p, ROOT), fh.read()))
    return out


def run_dump(dump, cases, tmp):
    paths = []
    for i, (_, data) in enumerate(cases):
        p = os.path.join(tmp, "%05d.toml" % i)
        with open(p, "wb") as fh:
            fh.write(data)
        paths.append(p)
    results = []
    for i in range(0, len(paths), 2000):
        chunk = paths[i:i + 2000]
        proc = subprocess.run([dump] + chunk, capture_output=True, check=False)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr.decode(errors="replace"))
            raise SystemExit("differential: %s failed (exit %d)" %
                             (dump, proc.returncode))
        lines = proc.stdout.decode().splitlines()
        if len(lines) != len(chunk):
            raise SystemExit("differential: %d results for %d files" %
                             (len(lines), len(chunk)))
        results += [json.loads(line) for line in lines]
    return results


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    dump = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    rng = Gen(int(sys.argv[3]) if len(sys.argv) > 3 else SEED)
    cases = []
    generated = []
    for i in range(count):
        rng.bad = 1.0 if i % 3 == 0 else 0.0
        doc = rdocument(rng)
        generated.append(doc)
        cases.append(("generated-%d" % i, doc))
    rng.bad = 1.0
    for i in range(count):
        cases.append(("mutated-%d" % i, mutate(rng, rng.choice(generated))))
    cases += corpus_files()
    cases += [("invalid-%d" % i, d) for i, d in enumerate(INVALID)]
    cases += limit_documents()

    passed = failed = 0
    accepted = 0
    shown = 0
    with tempfile.TemporaryDirectory(prefix="toml-diff-") as tmp:
        results = run_dump(dump, cases, tmp)
    for (name, data), got in zip(cases, results):
        ok, want = oracle(data)
        problem = None
        if name.startswith("invalid-") and ok:
            problem = "tomllib accepts this 'invalid' document"
        elif got["ok"] != ok:
            problem = ("crier accepts what tomllib rejects (%s)" % want
                       if got["ok"] else
                       "crier rejects (line %d: %s) what tomllib accepts" %
                       (got["line"], got["error"]))
        elif ok and normalize_c(got["value"]) != want:
            problem = "values differ:\n  crier:   %s\n  tomllib: %s" % (
                json.dumps(normalize_c(got["value"]), ensure_ascii=True)[:600],
                json.dumps(want, ensure_ascii=True)[:600])
        if problem is None:
            passed += 1
            accepted += ok
            continue
        failed += 1
        if shown < 25:
            shown += 1
            print("FAIL %s: %s\n  document: %r" % (name, problem, data[:400]))
    print("(%d documents accepted by both, %d rejected by both)" %
          (accepted, passed - accepted))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
