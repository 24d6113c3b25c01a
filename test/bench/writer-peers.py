"""Peer writers for bench:writer (test/bench/writer.ts): the same planes, one at a time as a
camera delivers them, written by the tools people would use instead of Aquila.

  python3 writer-peers.py TOOL FORMAT DIR SIDE FRAMES ZPLANES SHARDPLANES INFLIGHT

TOOL/FORMAT: tensorstore[-fsync] ome-zarr-0.4 (Zarr v2, "/" separator, one chunk per plane),
tensorstore ome-zarr-0.5 (Zarr v3, sharding_indexed with SHARDPLANES z planes per shard,
inner chunk one plane, index at the start), tifffile ome-tiff (one BigTIFF OME-TIFF,
contiguous pages). tensorstore-fsync keeps tensorstore's default file_io_sync (an fsync per
chunk written); plain tensorstore turns it off, the durability of Aquila's default. tensorstore keeps up to INFLIGHT plane writes outstanding (as the Aquila
writer keeps 4 frames in flight); tifffile writes pages in order. Prints one JSON line
{"writeS", "cpuS", "syncS", "frames"}: seconds from the first plane until the writer is closed
(data in the page cache), the CPU seconds of all its threads in that time, then seconds of
a system-wide sync. Imports are not timed.
"""

import json
import os
import sys
import time

import numpy as np


def zarr_spec(fmt, root, shape, side, shard_planes):
    kv = {"driver": "file", "path": root}
    if fmt == "ome-zarr-0.4":
        return {
            "driver": "zarr",
            "kvstore": kv,
            "metadata": {
                "shape": shape,
                "chunks": [1, 1, 1, side, side],
                "dtype": "<u2",
                "compressor": None,
                "fill_value": 0,
                "order": "C",
                "dimension_separator": "/",
            },
            "create": True,
            "delete_existing": True,
        }
    inner = [1, 1, 1, side, side]
    return {
        "driver": "zarr3",
        "kvstore": kv,
        "metadata": {
            "shape": shape,
            "data_type": "uint16",
            "chunk_grid": {
                "name": "regular",
                "configuration": {"chunk_shape": [1, 1, shard_planes, side, side]},
            },
            "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
            "fill_value": 0,
            "codecs": [
                {
                    "name": "sharding_indexed",
                    "configuration": {
                        "chunk_shape": inner,
                        "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
                        "index_codecs": [
                            {"name": "bytes", "configuration": {"endian": "little"}},
                            {"name": "crc32c"},
                        ],
                        "index_location": "start",
                    },
                }
            ],
        },
        "create": True,
        "delete_existing": True,
    }


def planes(frames, side):
    buf = np.zeros((side, side), dtype=np.uint16)
    for seq in range(frames):
        buf[0, 0] = seq & 0xFF
        yield seq, buf


def run_tensorstore(fmt, root, side, frames, zplanes, shard_planes, inflight, fsync):
    import tensorstore as ts

    t = -(-frames // zplanes)
    shape = [t, 1, zplanes, side, side]
    # file_io_sync (tensorstore's default) fsyncs every chunk; off, it keeps what Aquila's
    # default durability keeps (the page cache survives a killed process).
    context = ts.Context({"file_io_sync": fsync})
    arr = ts.open(zarr_spec(fmt, root, shape, side, shard_planes), context=context).result()
    t0, c0 = time.perf_counter(), time.process_time()
    pending = []
    for seq, plane in planes(frames, side):
        # write() copies the source array before it returns, so the buffer can be reused.
        pending.append(arr[seq // zplanes, 0, seq % zplanes].write(plane))
        if len(pending) >= inflight:
            pending.pop(0).result()
    for f in pending:
        f.result()
    return time.perf_counter() - t0, time.process_time() - c0


def run_tifffile(root, side, frames, zplanes):
    import tifffile

    t = frames // zplanes
    t0, c0 = time.perf_counter(), time.process_time()
    with tifffile.TiffWriter(root + ".ome.tif", bigtiff=True, ome=True) as tw:
        tw.write(
            (p for _, p in planes(t * zplanes, side)),
            shape=(t, 1, zplanes, side, side),
            dtype=np.uint16,
            contiguous=True,
            metadata={"axes": "TCZYX"},
        )
    return time.perf_counter() - t0, time.process_time() - c0


def main():
    tool, fmt, root = sys.argv[1:4]
    side, frames, zplanes, shard_planes, inflight = map(int, sys.argv[4:9])
    if tool in ("tensorstore", "tensorstore-fsync") and fmt in ("ome-zarr-0.4", "ome-zarr-0.5"):
        fsync = tool == "tensorstore-fsync"
        write_s, cpu_s = run_tensorstore(
            fmt, root, side, frames, zplanes, shard_planes, inflight, fsync
        )
    elif tool == "tifffile" and fmt == "ome-tiff":
        write_s, cpu_s = run_tifffile(root, side, frames, zplanes)
    else:
        sys.exit(f"writer-peers.py: no peer {tool} for {fmt}")
    t0 = time.perf_counter()
    os.sync()
    sync_s = time.perf_counter() - t0
    print(json.dumps({"writeS": write_s, "cpuS": cpu_s, "syncS": sync_s, "frames": frames}))


if __name__ == "__main__":
    main()
