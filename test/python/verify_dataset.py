"""Independent check of an Aquila dataset folder with tensorstore (OME-Zarr v2/v3, sharded)
or tifffile (OME-TIFF). Reads the layout from provenance.json, then checks shape, dtype,
pixel equality of every listed frame against the deterministic test pattern, and the
OME metadata (axes/units/scales/channels for zarr; OME-XML channels and physical sizes
for TIFF).
Usage: verify_dataset.py [--pages] DATASET_DIR[=WRITTEN_JSONL] ...
WRITTEN_JSONL lists the frame indices to check ({"p","t","c","z"} per line, in write
order); default: the indices in the dataset's frames.jsonl. --pages (OME-TIFF before
recovery): check that TIFF page k holds the k-th written frame, ignoring the OME-XML.
Prints one JSON object per dataset; exit 1 if any has problems."""
import json
import os
import sys
import xml.etree.ElementTree as ET

try:
    import numpy as np
    import tensorstore as ts
    import tifffile
except ImportError as e:  # pragma: no cover
    print(json.dumps({"ok": False, "missing": str(e),
                      "problems": ["python packages missing: python3 -m pip install tensorstore tifffile"]}))
    sys.exit(2)


def pattern(layout, i):
    """Same formula as test/electron/storage/pattern.ts."""
    y, x = layout["sizes"]["y"], layout["sizes"]["x"]
    yy, xx = np.meshgrid(np.arange(y, dtype=np.int64), np.arange(x, dtype=np.int64), indexing="ij")
    base = 3 * yy + xx + 31 * i["z"] + 257 * i["c"] + 1031 * i["t"] + 4099 * i["p"]
    if layout["pixelType"] == "uint8":
        return (base % 251).astype(np.uint8)
    return (base % 65521).astype(np.uint16)


def read_lines(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def check_zarr(root, layout, indices, problems):
    v3 = layout["format"] == "ome-zarr-0.5"
    multi = layout["positions"] > 1
    s = layout["sizes"]
    want_shape = [s["t"], s["c"], s["z"], s["y"], s["x"]]
    ph = layout["physical"]
    arrays = {}
    for p in range(layout["positions"]):
        group = os.path.join(root, str(p)) if multi else root
        if v3:
            attrs = json.load(open(os.path.join(group, "zarr.json")))["attributes"]["ome"]
            if attrs.get("version") != "0.5":
                problems.append(f"p={p}: ome.version {attrs.get('version')}")
        else:
            attrs = json.load(open(os.path.join(group, ".zattrs")))
        ms = attrs["multiscales"][0]
        axes = [(a["name"], a["type"], a.get("unit")) for a in ms["axes"]]
        if axes != [("t", "time", "second"), ("c", "channel", None), ("z", "space", "micrometer"),
                    ("y", "space", "micrometer"), ("x", "space", "micrometer")]:
            problems.append(f"p={p}: axes {axes}")
        scale = ms["datasets"][0]["coordinateTransformations"][0]["scale"]
        want_scale = [ph["timeIntervalS"], 1, ph["zStepUm"], ph["pixelSizeUm"], ph["pixelSizeUm"]]
        if not np.allclose(scale, want_scale):
            problems.append(f"p={p}: scale {scale} != {want_scale}")
        names = [c["label"] for c in attrs["omero"]["channels"]]
        colors = [c["color"].upper() for c in attrs["omero"]["channels"]]
        if names != [c["name"] for c in layout["channels"]] or colors != [c["colorHex"].upper() for c in layout["channels"]]:
            problems.append(f"p={p}: omero channels {names} {colors}")
        spec = {"driver": "zarr3" if v3 else "zarr",
                "kvstore": {"driver": "file", "path": os.path.join(group, "0")}}
        arr = ts.open(spec, open=True, read=True).result()
        if list(arr.shape) != want_shape:
            problems.append(f"p={p}: shape {list(arr.shape)} != {want_shape}")
        if arr.dtype.name != layout["pixelType"]:
            problems.append(f"p={p}: dtype {arr.dtype.name}")
        arrays[p] = arr
    for i in indices:
        got = arrays[i["p"]][i["t"], i["c"], i["z"], :, :].read().result()
        if not np.array_equal(got, pattern(layout, i)):
            problems.append(f"pixels differ at {i}")


def check_tiff(path, layout, indices, problems):
    s = layout["sizes"]
    ph = layout["physical"]
    with tifffile.TiffFile(path) as tf:
        if not tf.is_bigtiff:
            problems.append("not BigTIFF")
        if not tf.is_ome:
            problems.append("no OME-XML in the first IFD")
        root = ET.fromstring(tf.pages[0].description)
        ns = {"o": root.tag.split("}")[0][1:]}
        images = root.findall("o:Image", ns)
        if len(images) != layout["positions"]:
            problems.append(f"{len(images)} OME Images, expected {layout['positions']}")
        for p, img in enumerate(images):
            px = img.find("o:Pixels", ns)
            for k, want in (("SizeX", s["x"]), ("SizeY", s["y"]), ("SizeZ", s["z"]), ("SizeC", s["c"]), ("SizeT", s["t"])):
                if int(px.get(k)) != want:
                    problems.append(f"p={p}: {k}={px.get(k)} expected {want}")
            if px.get("Type") != layout["pixelType"]:
                problems.append(f"p={p}: Type {px.get('Type')}")
            for k, want in (("PhysicalSizeX", ph["pixelSizeUm"]), ("PhysicalSizeY", ph["pixelSizeUm"]),
                            ("PhysicalSizeZ", ph["zStepUm"]), ("TimeIncrement", ph["timeIntervalS"])):
                if not np.isclose(float(px.get(k)), want):
                    problems.append(f"p={p}: {k}={px.get(k)} expected {want}")
            if px.get("PhysicalSizeXUnit") != "µm":
                problems.append(f"p={p}: PhysicalSizeXUnit {px.get('PhysicalSizeXUnit')}")
            names = [c.get("Name") for c in px.findall("o:Channel", ns)]
            if names != [c["name"] for c in layout["channels"]]:
                problems.append(f"p={p}: channel names {names}")
        by_series = {}
        for p, series in enumerate(tf.series[: layout["positions"]]):
            if series.dtype.name != layout["pixelType"]:
                problems.append(f"series {p}: dtype {series.dtype.name}")
            full = (s["t"], s["c"], s["z"], s["y"], s["x"])
            data = series.asarray()
            if int(np.prod(data.shape)) != int(np.prod(full)):
                problems.append(f"series {p}: shape {data.shape} != {full}")
                continue
            by_series[p] = data.reshape(full)
        for i in indices:
            arr = by_series.get(i["p"])
            if arr is None:
                problems.append(f"no series for {i}")
                continue
            if not np.array_equal(arr[i["t"], i["c"], i["z"]], pattern(layout, i)):
                problems.append(f"pixels differ at {i}")


def check_pages(path, layout, indices, problems):
    with tifffile.TiffFile(path) as tf:
        if len(tf.pages) < len(indices):
            problems.append(f"{len(tf.pages)} TIFF pages, {len(indices)} frames reported written")
            return
        for k, i in enumerate(indices):
            if not np.array_equal(tf.pages[k].asarray(), pattern(layout, i)):
                problems.append(f"page {k} does not hold frame {i}")


def verify(arg, pages):
    d, _, written = arg.partition("=")
    prov = json.load(open(os.path.join(d, "provenance.json")))
    layout = prov["layout"]
    if written:
        indices = read_lines(written)
    else:
        indices = [r["index"] for r in read_lines(os.path.join(d, "frames.jsonl"))]
    problems = []
    image = os.path.join(d, prov["imageFile"])
    if not indices and not os.path.exists(image):
        # A closed OME-TIFF run that ended before its first frame has no image file.
        return {"dir": d, "ok": True, "checked": 0, "outcome": prov["outcome"], "problems": []}
    try:
        if layout["format"] != "ome-tiff":
            check_zarr(image, layout, indices, problems)
        elif pages:
            check_pages(image, layout, indices, problems) if indices else None
        else:
            check_tiff(image, layout, indices, problems)
    except Exception as e:  # a reader that cannot open the data is a finding, not a crash
        problems.append(f"{type(e).__name__}: {e}")
    return {"dir": d, "ok": not problems, "checked": len(indices), "outcome": prov["outcome"],
            "problems": problems[:20]}


def main():
    args = sys.argv[1:]
    pages = "--pages" in args
    results = [verify(a, pages) for a in args if a != "--pages"]
    for r in results:
        print(json.dumps(r))
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
