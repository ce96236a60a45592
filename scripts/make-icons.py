#!/usr/bin/env python3
"""Draws Uchet's icon (a meter dial on the brand blue) into public/icons and favicon.ico.
Pure standard library, so it runs anywhere; the PNGs are committed, this is how they were made."""
import math, struct, zlib, os, sys

BLUE = (29, 79, 145)
WHITE = (255, 255, 255)
AMBER = (245, 166, 35)

def pixel(x, y, n, maskable):
    c = (n - 1) / 2
    dx, dy = x - c, y - c
    r = math.hypot(dx, dy) / (n / 2)
    corner = 0.22 * n
    inside = True
    if not maskable:
        qx, qy = max(abs(dx) - (n / 2 - corner), 0), max(abs(dy) - (n / 2 - corner), 0)
        inside = math.hypot(qx, qy) <= corner
    if not inside:
        return (0, 0, 0, 0)
    scale = 0.8 if maskable else 1.0
    r /= scale
    ang = math.degrees(math.atan2(-dy, dx))
    # Dial ring (upper three quarters), ticks, and an amber needle.
    if 0.56 <= r <= 0.66 and not (-135 < ang < -45):
        return WHITE + (255,)
    for t in range(-45, 226, 30):
        a = math.radians(t)
        tx, ty = math.cos(a), -math.sin(a)
        along = (dx * tx + dy * ty) / (n / 2) / scale
        across = abs(-dx * ty + dy * tx) / (n / 2) / scale
        if 0.42 <= along <= 0.52 and across < 0.025:
            return WHITE + (255,)
    a = math.radians(60)
    nx, ny = math.cos(a), -math.sin(a)
    along = (dx * nx + dy * ny) / (n / 2) / scale
    across = abs(-dx * ny + dy * nx) / (n / 2) / scale
    if -0.05 <= along <= 0.5 and across < 0.045:
        return AMBER + (255,)
    if r < 0.1:
        return WHITE + (255,)
    return BLUE + (255,)

def png(n, maskable=False):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y, n, maskable)) for x in range(n)) for y in range(n))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")

def ico(images):
    head = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, data = b"", b""
    for n, img in images:
        entries += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(img), offset + len(data))
        data += img
    return head + entries + data

root = sys.argv[1] if len(sys.argv) > 1 else "public"
os.makedirs(f"{root}/icons", exist_ok=True)
for n in (192, 512):
    open(f"{root}/icons/icon-{n}.png", "wb").write(png(n))
open(f"{root}/icons/maskable-512.png", "wb").write(png(512, maskable=True))
open(f"{root}/favicon.ico", "wb").write(ico([(32, png(32)), (16, png(16))]))
